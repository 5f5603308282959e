package dev.glassbox.instrument.stats;

import dev.glassbox.engine.tensor.Tensor;
import java.util.Arrays;

/**
 * Which units of a layer were ever nonzero since the last {@link #reset}. A unit is a feature of a
 * [batch, features] output or a channel (feature map) of a [batch, channels, height, width] one. A ReLU unit that
 * is zero for one batch is normal; one that is zero for every example of an epoch is dead: it passes no gradient
 * and will not recover by itself. So the monitor resets this at each epoch's start and reads it at its end.
 */
public final class UnitActivity {
    private boolean[] everNonzero;
    private int units;
    private long examples;

    /** Marks the units that are nonzero anywhere in {@code output} (not modified). */
    public void observe(Tensor output) {
        int[] shape = output.shape();
        int unitCount = shape.length < 2 ? output.size() : shape[1];
        int inner = 1;
        for (int axis = 2; axis < shape.length; axis++) {
            inner *= shape[axis];
        }
        if (everNonzero == null || everNonzero.length != unitCount) {
            everNonzero = new boolean[unitCount];
        }
        units = unitCount;
        float[] y = output.data();
        int block = unitCount * inner;
        examples += y.length / block;
        for (int start = 0; start < y.length; start += block) {
            for (int unit = 0; unit < unitCount; unit++) {
                if (everNonzero[unit]) {
                    continue;                               // already alive: skip its values
                }
                int offset = start + unit * inner;
                for (int i = offset; i < offset + inner; i++) {
                    if (y[i] != 0f) {
                        everNonzero[unit] = true;
                        break;
                    }
                }
            }
        }
    }

    /** Examples observed since the last reset (the rows of each output). */
    public long examples() {
        return examples;
    }

    /** Units seen (0 before the first observation). */
    public int units() {
        return units;
    }

    /** Units that were zero for every example since the last reset. */
    public int deadUnits() {
        if (everNonzero == null) {
            return 0;
        }
        int dead = 0;
        for (boolean alive : everNonzero) {
            dead += alive ? 0 : 1;
        }
        return dead;
    }

    /** deadUnits / units, or NaN before the first observation. */
    public double deadFraction() {
        return units == 0 ? Double.NaN : (double) deadUnits() / units;
    }

    /** Forgets everything (start of an epoch). */
    public void reset() {
        if (everNonzero != null) {
            Arrays.fill(everNonzero, false);
        }
        examples = 0;
    }
}
