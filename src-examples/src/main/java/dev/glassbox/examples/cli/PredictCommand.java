package dev.glassbox.examples.cli;

import dev.glassbox.engine.autograd.NoGrad;
import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.nn.HookHandle;
import dev.glassbox.engine.nn.Layer;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code glassbox predict MODEL --input X.npy --output Y.npy [--layers DIR]}: runs a model on an array and writes
 * its output, and with {@code --layers} every layer's output as {@code DIR/<layer>.npy}. Arrays are in the
 * model's own layout: NHWC for Keras models, NCHW for PyTorch and Glassbox ones.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a model on X.npy; write its output (and every layer's with --layers).")
public final class PredictCommand implements Callable<Integer> {
    /** Inputs per forward pass without --layers: 256 digits of the seed CNN hold about 30 MB of activations. */
    private static final int BATCH = 256;

    @Mixin CommonOptions common;
    @Mixin ModelOptions modelOptions;

    @Parameters(index = "0", paramLabel = "MODEL", description = Models.MODEL_HELP)
    Path model;

    @Option(names = "--input", paramLabel = "X.npy", required = true, description = "Input batch (.npy).")
    Path input;

    @Option(names = "--output", paramLabel = "Y.npy", required = true, description = "Where to write the output.")
    Path output;

    @Option(names = "--layers", paramLabel = "DIR", description = "Also write every layer's output as DIR/<layer>.npy.")
    Path layers;

    @Override
    public Integer call() throws IOException {
        common.apply();
        Outputs.checkFile("--output", output);
        if (layers != null) {
            Outputs.checkFolder("--layers", layers);
        }
        Model net = Models.open(model, modelOptions);
        net.eval();
        Tensor x = Inputs.readBatch(input, "--input");
        List<HookHandle> hooks = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Tensor> outputs = new ArrayList<>();
        if (layers != null) {
            Files.createDirectories(layers);
            for (Layer layer : net.layers()) {
                hooks.add(layer.registerForwardHook((l, in, out) -> {
                    names.add(l.name());
                    outputs.add(net.toUserLayout(out).copy());
                }));
            }
        }
        Tensor y;
        try (NoGrad ignored = NoGrad.enter()) {
            // Without --layers in batches: only the output is kept, so a large input needs one batch's memory.
            y = layers == null ? Trainer.predict(net, x, BATCH) : net.forward(x);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + model + " cannot run on --input " + input + " (shape "
                    + Arrays.toString(x.shape()) + "): " + Models.withDeclaredInput(e.getMessage(), net), e);
        } finally {
            hooks.forEach(HookHandle::remove);
        }
        for (int i = 0; i < names.size(); i++) {
            Npy.write(layers.resolve(names.get(i) + ".npy"), outputs.get(i));
        }
        Npy.write(output, y);
        System.out.println("wrote " + output + " " + Arrays.toString(y.shape())
                + (layers == null ? "" : " and " + names.size() + " layer outputs to " + layers));
        return 0;
    }
}
