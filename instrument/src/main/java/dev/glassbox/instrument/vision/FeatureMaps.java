package dev.glassbox.instrument.vision;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.nn.Conv2D;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.Pooling2D;
import dev.glassbox.engine.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feature-map grids: every channel of a conv or pool layer's output for one input image, as in Deep Learning with
 * Python §5.4. Each map is normalised on its own — subtract its mean, divide by its standard deviation, ×64 +128,
 * clip to 0–255 — so that a weak but structured map is as visible as a strong one; a constant map shows grey.
 * Channels are laid out in rows of {@value #PER_ROW}, the layer name above the grid.
 */
public final class FeatureMaps {
    /** Channels per row of a grid, as in the seed notebook. */
    public static final int PER_ROW = 16;
    /** Pixels per map pixel when the maps are small (a 24×24 map becomes 72×72). */
    static final int MIN_MAP_PIXELS = 64;
    static final int TITLE_HEIGHT = 22;

    private FeatureMaps() {}

    /** The layers whose outputs are feature maps: every Conv2D and Pooling2D, in model order. */
    public static List<Layer> mapLayers(Model model) {
        List<Layer> layers = new ArrayList<>();
        for (Layer layer : model.layers()) {
            if (layer instanceof Conv2D || layer instanceof Pooling2D) {
                layers.add(layer);
            }
        }
        return layers;
    }

    /**
     * Runs {@code image} (one example, batch 1, in the model's input layout) and returns, per layer, its maps
     * [channels, height, width] in the engine's layout.
     */
    public static Map<String, Tensor> compute(Model model, Tensor image, List<Layer> layers) {
        if (image.dim(0) != 1) {
            throw new IllegalArgumentException("feature maps are drawn for one image: batch must be 1, got shape "
                    + java.util.Arrays.toString(image.shape()));
        }
        Map<String, Tensor> maps = new LinkedHashMap<>();
        try (NoGrad ignored = NoGrad.enter()) {
            model.eval();
            LayerTap.Run run = LayerTap.run(model, image, layers, false);
            for (Map.Entry<String, Tensor> e : run.outputs().entrySet()) {
                Tensor out = e.getValue();
                if (out.rank() != 4) {
                    throw new IllegalArgumentException("layer '" + e.getKey() + "' output has shape "
                            + java.util.Arrays.toString(out.shape()) + ", not feature maps [1, C, H, W]");
                }
                maps.put(e.getKey(), out.reshape(out.dim(1), out.dim(2), out.dim(3)));
            }
        }
        return maps;
    }

    /** The seed's display normalisation of one map, to 0–255 grey levels. */
    static int[] normalise(float[] maps, int offset, int size) {
        double mean = 0;
        for (int i = 0; i < size; i++) {
            mean += maps[offset + i];
        }
        mean /= size;
        double var = 0;
        for (int i = 0; i < size; i++) {
            double d = maps[offset + i] - mean;
            var += d * d;
        }
        double std = Math.sqrt(var / size);
        int[] grey = new int[size];
        for (int i = 0; i < size; i++) {
            double v = std > 0 ? (maps[offset + i] - mean) / std * 64 + 128 : 128;
            grey[i] = (int) Math.max(0, Math.min(255, Math.round(v)));
        }
        return grey;
    }

    /** Draws one layer's maps [C, H, W] as a titled grid of normalised grey images. */
    public static BufferedImage grid(String title, Tensor maps) {
        int channels = maps.dim(0);
        int h = maps.dim(1);
        int w = maps.dim(2);
        int scale = Math.max(1, MIN_MAP_PIXELS / Math.max(h, w));
        int cols = Math.min(PER_ROW, channels);
        int rows = (channels + PER_ROW - 1) / PER_ROW;
        int gap = 2;
        int cellW = w * scale + gap;
        int cellH = h * scale + gap;
        BufferedImage img = new BufferedImage(Math.max(cols * cellW, 200), TITLE_HEIGHT + rows * cellH,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title + "  (" + channels + " × " + h + "×" + w + ")", 4, TITLE_HEIGHT - 6);
        g.dispose();
        float[] data = maps.data();
        for (int c = 0; c < channels; c++) {
            int[] grey = normalise(data, c * h * w, h * w);
            int x0 = (c % PER_ROW) * cellW;
            int y0 = TITLE_HEIGHT + (c / PER_ROW) * cellH;
            for (int y = 0; y < h * scale; y++) {
                for (int x = 0; x < w * scale; x++) {
                    int v = grey[(y / scale) * w + x / scale];
                    img.setRGB(x0 + x, y0 + y, (v << 16) | (v << 8) | v);
                }
            }
        }
        return img;
    }
}
