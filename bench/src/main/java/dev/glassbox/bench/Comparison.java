package dev.glassbox.bench;

import java.util.Locale;

/**
 * One row of the side-by-side table: a workload measured in Glassbox and in a reference (PyTorch, scikit-learn,
 * the machine's FMA peak, or Glassbox itself without instruments) in the same run, the ratio Glassbox ÷ reference,
 * and the project's target for that ratio. A reference that was not measured is NaN; the row then shows Glassbox's
 * number alone and neither meets nor misses its target.
 *
 * @param higherIsBetter true for throughputs (GFLOP/s, images/s), whose ratio must reach the target; false for
 *                       times, whose ratio must stay at or under it
 */
public record Comparison(String workload, String unit, double glassbox, String reference, double referenceValue,
        boolean higherIsBetter, double target) {

    /** Glassbox ÷ reference, in the row's unit (NaN without a reference). */
    public double ratio() {
        return glassbox / referenceValue;
    }

    /** "met", "missed", "n/a" when either side was not measured, "no target" for a row shown for scale. */
    public String status() {
        double ratio = ratio();
        if (!Double.isFinite(ratio)) {
            return "n/a";
        }
        if (Double.isNaN(target)) {
            return "no target";
        }
        return (higherIsBetter ? ratio >= target : ratio <= target) ? "met" : "missed";
    }

    /** The target as "≥ 0.85" or "≤ 0.80". */
    public String targetText() {
        if (Double.isNaN(target)) {
            return "—";
        }
        return (higherIsBetter ? "≥ " : "≤ ") + String.format(Locale.ROOT, "%.2f", target);
    }

    /** A number for a table: three significant digits, or "n/a". */
    static String format(double value) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        double magnitude = Math.abs(value);
        String pattern = magnitude >= 100 ? "%.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, value);
    }
}

// Used by PerformanceSuite; run it as bench/README.md shows, e.g.
//   ./glassbox bench --quick --compare
