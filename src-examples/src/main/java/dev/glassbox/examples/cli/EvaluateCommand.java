package dev.glassbox.examples.cli;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.train.Trainer;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glassbox evaluate MODEL}: test accuracy and loss, ending with {@code test_accuracy=... test_loss=...}. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate a model on the test digits.")
public final class EvaluateCommand implements Callable<Integer> {
    @Mixin CommonOptions common;
    @Mixin ModelOptions modelOptions;

    @Parameters(index = "0", paramLabel = "MODEL", description = Models.MODEL_HELP)
    Path model;

    @Option(names = "--data", paramLabel = "DIR",
            description = "MNIST-style IDX directory (default: the shipped digits).")
    Path data;

    @Override
    public Integer call() {
        common.apply();
        Model net = Models.open(model, modelOptions);
        net.eval();
        Dataset test = Models.inUserLayout(net, CommonOptions.trainAndTest(data)[1]);
        Trainer.Evaluation result = Trainer.evaluate(net, Models.lossFor(net), test, 500);
        System.out.printf(Locale.ROOT, "test_accuracy=%.4f test_loss=%.6f%n", result.accuracy(), result.loss());
        return 0;
    }
}
