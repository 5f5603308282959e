package dev.glassbox.examples.cli;

import dev.glassbox.engine.train.History;
import dev.glassbox.engine.train.TrainingListener;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** Renders training progress as one progress bar per epoch, then a summary line. */
public final class ProgressListener implements TrainingListener {
    private final int epochs;
    private ProgressBar bar;

    public ProgressListener(int epochs) {
        this.epochs = epochs;
    }

    @Override
    public void epochStarted(int epoch, int batches) {
        bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(batches).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .continuousUpdate().build();
    }

    @Override
    public void batchFinished(int epoch, int batch, float loss) {
        bar.step();
        if (batch % 20 == 0) {
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", loss));
        }
    }

    @Override
    public void epochFinished(History.Epoch e) {
        bar.close();
        System.err.printf(Locale.ROOT, "epoch %d: loss %.4f, accuracy %.4f%s, %.1f s%n", e.epoch() + 1, e.loss(),
                e.accuracy(), Double.isNaN(e.validationAccuracy()) ? ""
                        : String.format(Locale.ROOT, ", val_loss %.4f, val_accuracy %.4f", e.validationLoss(),
                                e.validationAccuracy()), e.seconds());
    }
}
