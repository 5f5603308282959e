package dev.glassbox.examples.cli;

import dev.glassbox.engine.nn.Model;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glassbox summary MODEL}: the Keras-style table of layers, output shapes and parameter counts. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Print a model's layers, shapes and parameters.")
public final class SummaryCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin ModelOptions modelOptions;

    @Parameters(index = "0", paramLabel = "MODEL", description = Models.MODEL_HELP)
    Path model;

    @Option(names = "--input-shape", paramLabel = "DIMS", split = ",",
            description = "Shape of one input example in the model's layout (default: the shape an imported"
                    + " Keras model declares, else a 28x28 digit, 1,28,28; 28,28,1 for a channels-last model).")
    int[] inputShape;

    @Override
    public Integer call() {
        common.apply();
        Model net = Models.open(model, modelOptions);
        if (inputShape == null) {
            // the shape an imported model declares, else an MNIST digit in the model's layout
            inputShape = net.inputShape() != null ? net.inputShape()
                    : net.dataFormat() == Model.DataFormat.CHANNELS_LAST ? new int[] {28, 28, 1}
                    : new int[] {1, 28, 28};
        }
        try {
            System.out.print(net.summary(inputShape));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + model + " does not take input " + Arrays.toString(inputShape)
                    + " (--input-shape): " + e.getMessage(), e);
        }
        return 0;
    }
}
