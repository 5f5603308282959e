package dev.glassbox.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.data.Mnist;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.nn.Sequential;
import dev.glassbox.engine.optim.Sgd;
import org.junit.jupiter.api.Test;

/**
 * The seed CNN (SGD lr 0.01, momentum 0.9, batch 64, 3 epochs, NLL on log-softmax, normalised input) on the
 * shipped digits lands where PyTorch does (94.8–95.5 % over three seeds).
 */
class SeedCnnTrainingTest {

    @Test
    void seedCnnReachesPyTorchAccuracyInThreeEpochs() {
        Sequential model = SeedModels.cnn(1);
        Trainer.fit(model, Loss.nll(), new Sgd(model.trainableParameters(), 0.01f, 0.9f), Mnist.train(),
                Trainer.Options.of(3, 64, 1));
        Trainer.Evaluation test = Trainer.evaluate(model, Loss.nll(), Mnist.test(), 500);
        assertTrue(test.accuracy() >= 0.935, "test accuracy " + test.accuracy() + " below 93.5 %");
    }
}
