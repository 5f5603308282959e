package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import dev.glassbox.engine.io.KerasLayers.Context;
import dev.glassbox.engine.nn.ChannelsLastReshape;
import dev.glassbox.engine.nn.Conv2DTranspose;
import dev.glassbox.engine.nn.Cropping2D;
import dev.glassbox.engine.nn.Embedding;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Rescaling;
import dev.glassbox.engine.nn.Reshape;
import dev.glassbox.engine.nn.SeparableConv2D;
import dev.glassbox.engine.nn.UpSampling2D;
import dev.glassbox.engine.ops.Conv2DTransposeOp;
import dev.glassbox.engine.tensor.Tensor;
import java.util.Map;

/**
 * The Keras layers beyond the everyday ones (see {@link KerasLayers}), with their kernel conversions:
 * <ul>
 * <li>Conv2DTranspose: Keras [kh, kw, filters, in] → PyTorch's ConvTranspose2d [in, filters, kh, kw]
 *     ({@code permute(3, 2, 0, 1)}), with its {@code output_padding} and {@code dilation_rate};</li>
 * <li>SeparableConv2D: depthwise [kh, kw, in, multiplier] → [in·multiplier, 1, kh, kw]; pointwise
 *     [1, 1, in·multiplier, filters] → [filters, in·multiplier, 1, 1];</li>
 * <li>Embedding: the table [rows, dims] as is;</li>
 * <li>Reshape: Keras' target shape is channels-last, so a channels-last model reshapes the NHWC view;</li>
 * <li>Rescaling (scalar scale and offset), UpSampling2D (nearest), Cropping2D: no weights, any layout.</li>
 * </ul>
 */
final class KerasMoreLayers {
    private KerasMoreLayers() {}

    static Conv2DTranspose conv2dTranspose(LayerSpec spec, Map<String, Tensor> weights, Context context) {
        JsonNode c = spec.config();
        int none = Conv2DTransposeOp.NO_OUTPUT_PADDING;
        int[] outputPadding = c.hasNonNull("output_padding") ? KerasKeys.pair(spec, none, "output_padding")
                : new int[] {none, none};
        if (c.hasNonNull("output_padding") && outputPadding[0] == none) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': output_padding "
                    + c.get("output_padding") + " is not an int or an (height, width) pair");
        }
        Tensor kernel = rank4(spec, KerasLayers.require(spec, weights, "kernel", context), context)
                .permute(3, 2, 0, 1);
        KerasLayers.requireDeclared(spec, "kernel", "filters", new int[] {kernel.dim(1)}, context, "filters");
        KerasLayers.requireDeclared(spec, "kernel", "kernel size", new int[] {kernel.dim(2), kernel.dim(3)},
                context, "kernel_size");
        int[] strides = KerasKeys.pair(spec, 1, "strides");
        boolean useBias = KerasKeys.bool(spec, true, "use_bias");
        Conv2DTranspose layer;
        try {
            layer = new Conv2DTranspose(spec.name(), kernel.dim(0), kernel.dim(1), kernel.dim(2), kernel.dim(3),
                    strides[0], strides[1], KerasLayers.padding(spec, context),
                    KerasKeys.pair(spec, 1, "dilation_rate"), outputPadding, useBias,
                    KerasLayers.activation(spec, context));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': " + e.getMessage(), e);
        }
        KerasLayers.set(layer, "kernel", kernel, context);
        if (useBias) {
            KerasLayers.set(layer, "bias", KerasLayers.require(spec, weights, "bias", context), context);
        }
        return layer;
    }

    static SeparableConv2D separableConv2d(LayerSpec spec, Map<String, Tensor> weights, Context context) {
        requireUndilated(spec, context);
        Tensor depthwise = rank4(spec, KerasLayers.require(spec, weights, "depthwise_kernel", context), context);
        int kh = depthwise.dim(0), kw = depthwise.dim(1), in = depthwise.dim(2), multiplier = depthwise.dim(3);
        depthwise = depthwise.permute(2, 3, 0, 1).reshape(in * multiplier, 1, kh, kw);
        Tensor pointwise = rank4(spec, KerasLayers.require(spec, weights, "pointwise_kernel", context), context)
                .permute(3, 2, 0, 1);
        KerasLayers.requireDeclared(spec, "depthwise_kernel", "kernel size", new int[] {kh, kw}, context,
                "kernel_size");
        KerasLayers.requireDeclared(spec, "depthwise_kernel", "depth multiplier", new int[] {multiplier}, context,
                "depth_multiplier");
        KerasLayers.requireDeclared(spec, "pointwise_kernel", "filters", new int[] {pointwise.dim(0)}, context,
                "filters");
        int[] strides = KerasKeys.pair(spec, 1, "strides");
        boolean useBias = KerasKeys.bool(spec, true, "use_bias");
        SeparableConv2D layer = new SeparableConv2D(spec.name(), in, multiplier, pointwise.dim(0), kh, kw,
                strides[0], strides[1], KerasLayers.padding(spec, context), useBias,
                KerasLayers.activation(spec, context));
        KerasLayers.set(layer, "depthwise_kernel", depthwise, context);
        KerasLayers.set(layer, "pointwise_kernel", pointwise, context);
        if (useBias) {
            KerasLayers.set(layer, "bias", KerasLayers.require(spec, weights, "bias", context), context);
        }
        return layer;
    }

    static Embedding embedding(LayerSpec spec, Map<String, Tensor> weights, Context context) {
        Tensor table = KerasLayers.require(spec, weights, "embeddings", context);
        if (table.rank() != 2) {
            throw new WeightImportException(context.file(), spec.name() + "/embeddings", "must be [rows, dims],"
                    + " got shape " + java.util.Arrays.toString(table.shape()));
        }
        KerasLayers.requireDeclared(spec, "embeddings", "rows", new int[] {table.dim(0)}, context, "input_dim");
        KerasLayers.requireDeclared(spec, "embeddings", "dimensions", new int[] {table.dim(1)}, context,
                "output_dim");
        Embedding layer = new Embedding(spec.name(), table.dim(0), table.dim(1));
        KerasLayers.set(layer, "embeddings", table, context);
        return layer;
    }

    static Layer reshape(LayerSpec spec, Context context) {
        JsonNode target = spec.config().path("target_shape");
        if (!target.isArray() || target.isEmpty()) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': Reshape needs a"
                    + " target_shape list, got " + target);
        }
        int[] shape = new int[target.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!target.get(i).isInt()) {
                throw new KerasKeys.BadValue(spec, "target_shape", target, "a list of ints");
            }
            shape[i] = target.get(i).asInt();
        }
        return context.channelsLast() ? new ChannelsLastReshape(spec.name(), shape) : new Reshape(spec.name(), shape);
    }

    /** Keras' Rescaling with a scalar scale and offset (a per-channel list is refused). */
    static Layer rescaling(LayerSpec spec, Context context) {
        JsonNode c = spec.config();
        for (String key : new String[] {"scale", "offset"}) {
            if (c.has(key) && !c.get(key).isNumber()) {
                throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': Rescaling " + key + " "
                        + c.get(key) + " is not supported; only a single number");
            }
        }
        return new Rescaling(spec.name(), (float) KerasKeys.number(spec, 1, "scale"),
                (float) KerasKeys.number(spec, 0, "offset"));
    }

    /** Keras' UpSampling2D; only nearest-neighbour interpolation. */
    static Layer upSampling(LayerSpec spec, Context context) {
        String interpolation = KerasKeys.text(spec, "nearest", "interpolation");
        if (!interpolation.equals("nearest")) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': UpSampling2D with"
                    + " interpolation '" + interpolation + "' is not supported (nearest)");
        }
        int[] size = KerasKeys.pair(spec, 2, "size");
        try {
            return new UpSampling2D(spec.name(), size[0], size[1]);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(context.configFile(), e.getMessage(), e);
        }
    }

    static Layer cropping(LayerSpec spec, Context context) {
        int[] c = KerasLayers.sides(spec, "cropping", context);
        try {
            return new Cropping2D(spec.name(), c[0], c[1], c[2], c[3]);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(context.configFile(), e.getMessage(), e);
        }
    }

    private static void requireUndilated(LayerSpec spec, Context context) {
        int[] dilation = KerasKeys.pair(spec, 1, "dilation_rate");
        if (dilation[0] != 1 || dilation[1] != 1) {
            throw new ModelFileException(context.configFile(), "layer '" + spec.name() + "': " + spec.className()
                    + " with dilation_rate " + dilation[0] + "x" + dilation[1] + " is not supported");
        }
    }

    private static Tensor rank4(LayerSpec spec, Tensor kernel, Context context) {
        if (kernel.rank() != 4) {
            throw new WeightImportException(context.file(), spec.name(), spec.className() + " kernels must have"
                    + " rank 4, got shape " + java.util.Arrays.toString(kernel.shape()));
        }
        return kernel;
    }
}
