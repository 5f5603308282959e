package dev.glassbox.bench;

import java.util.Arrays;
import java.util.List;

/** The median the reports give: the middle value, or the mean of the two middle ones for an even count. */
final class Median {
    private Median() {
    }

    /** The median of {@code values} (not modified; at least one). */
    static double of(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The median of {@code values} (at least one). */
    static double of(List<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
