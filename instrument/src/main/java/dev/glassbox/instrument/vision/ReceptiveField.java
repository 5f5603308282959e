package dev.glassbox.instrument.vision;

import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Pooling2D;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.nn.ZeroPadding2D;
import dev.glassbox.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * Where the cells of a feature map sit in the input image. Cell i of a layer's output is centred on input
 * coordinate {@code start + i·jump}: each conv or pool layer multiplies the jump by its stride and moves the start
 * by ((k_eff − 1)/2 − padding before)·jump. For 'same' padding and even sizes the grid spans the image, and a
 * plain resize is right; after 'valid' convolutions it covers only the centre, and stretching the map over the
 * whole image would misplace it (on a 28×28 digit, by several pixels).
 */
record ReceptiveField(double startH, double jumpH, double startW, double jumpW) {
    /** The grid of a plain resize from an h×w map to H×W (pixel centres aligned): the fallback. */
    static ReceptiveField stretched(int mapH, int mapW, int height, int width) {
        double jh = (double) height / mapH;
        double jw = (double) width / mapW;
        return new ReceptiveField((jh - 1) / 2, jh, (jw - 1) / 2, jw);
    }

    /**
     * The grid of {@code target}'s output for input [C, H, W] of a Sequential model, or the stretched grid when
     * the path holds a layer whose geometry is unknown here.
     */
    static ReceptiveField of(Model model, Layer target, int[] inputShape, int mapH, int mapW) {
        int height = inputShape[1];
        int width = inputShape[2];
        if (!(model instanceof Sequential)) {
            return stretched(mapH, mapW, height, width);
        }
        Map<Layer, int[]> shapes = model.outputShapes(userShape(model, inputShape));
        double startH = 0;
        double startW = 0;
        double jumpH = 1;
        double jumpW = 1;
        int inH = height;
        int inW = width;
        for (Layer layer : model.layers()) {
            Map<String, Object> config = layer.config();
            if (layer instanceof Conv2D || layer instanceof Pooling2D) {
                int[] kernel = ints(config.get(layer instanceof Conv2D ? "kernel_size" : "pool_size"));
                int[] strides = ints(config.get("strides"));
                int[] dilation = layer instanceof Conv2D ? ints(config.get("dilation_rate")) : new int[] {1, 1};
                int effH = dilation[0] * (kernel[0] - 1) + 1;
                int effW = dilation[1] * (kernel[1] - 1) + 1;
                int[] before = paddingBefore(config, inH, inW, effH, effW, strides);
                startH += ((effH - 1) / 2.0 - before[0]) * jumpH;
                startW += ((effW - 1) / 2.0 - before[1]) * jumpW;
                jumpH *= strides[0];
                jumpW *= strides[1];
            } else if (layer instanceof ZeroPadding2D) {
                int[] p = ints(config.get("padding"));
                startH -= p[0] * jumpH;
                startW -= p[2] * jumpW;
            }
            int[] out = shapes.get(layer);
            if (out != null && out.length == 4) {
                inH = out[2];                       // hooks see the engine's NCHW tensors, whatever the model's format
                inW = out[3];
            } else if (layer != target && out != null && out.length != 4) {
                return stretched(mapH, mapW, height, width);
            }
            if (layer == target) {
                return new ReceptiveField(startH, jumpH, startW, jumpW);
            }
        }
        return stretched(mapH, mapW, height, width);
    }

    private static int[] userShape(Model model, int[] chw) {
        return model.dataFormat() == Model.DataFormat.CHANNELS_LAST ? new int[] {chw[1], chw[2], chw[0]} : chw;
    }

    private static int[] paddingBefore(Map<String, Object> config, int inH, int inW, int effH, int effW,
            int[] strides) {
        String mode = String.valueOf(config.get("padding"));
        if (mode.equals("same")) {
            int outH = (inH + strides[0] - 1) / strides[0];
            int outW = (inW + strides[1] - 1) / strides[1];
            int totalH = Math.max((outH - 1) * strides[0] + effH - inH, 0);
            int totalW = Math.max((outW - 1) * strides[1] + effW - inW, 0);
            return new int[] {totalH / 2, totalW / 2};
        }
        if (mode.equals("explicit")) {
            return ints(config.get("explicit_padding"));
        }
        return new int[] {0, 0};
    }

    private static int[] ints(Object value) {
        if (value instanceof int[] a) {
            return a;
        }
        List<?> list = (List<?>) value;
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).intValue();
        }
        return out;
    }

    /** Samples the map [h, w] at every input pixel (bilinear between cell centres, clamped at the edges). */
    Tensor upsample(Tensor map, int height, int width) {
        int h = map.dim(0);
        int w = map.dim(1);
        float[] in = map.data();
        float[] out = new float[height * width];
        for (int y = 0; y < height; y++) {
            double u = Math.min(h - 1, Math.max(0, (y - startH) / jumpH));
            int y0 = Math.min((int) u, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = u - y0;
            for (int x = 0; x < width; x++) {
                double v = Math.min(w - 1, Math.max(0, (x - startW) / jumpW));
                int x0 = Math.min((int) v, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = v - x0;
                double top = in[y0 * w + x0] * (1 - fx) + in[y0 * w + x1] * fx;
                double bottom = in[y1 * w + x0] * (1 - fx) + in[y1 * w + x1] * fx;
                out[y * width + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return new Tensor(out, height, width);
    }
}
