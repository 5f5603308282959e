package dev.glassbox.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.kernels.Parallel;
import dev.glassbox.engine.nn.Parameter;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same seed gives bitwise identical weights after training with one thread and with two. */
class DeterminismTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    private static float[][] trainCnn(int threads, Dataset data) {
        Parallel.setThreads(threads);
        Sequential model = SeedModels.cnn(5);
        Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.01f, 0.9f), data,
                Trainer.Options.of(1, 64, 9));
        List<Parameter> params = model.parameters();
        float[][] weights = new float[params.size()][];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = params.get(i).value().toArray();
        }
        return weights;
    }

    @Test
    void seedCnnEpochIsBitwiseIdenticalWithOneAndTwoThreads() {
        Dataset data = Mnist.train().first(512);
        float[][] one = trainCnn(1, data);
        float[][] two = trainCnn(2, data);
        for (int i = 0; i < one.length; i++) {
            assertArrayEquals(one[i], two[i], "parameter " + i + " differs between 1 and 2 threads");
        }
    }
}
