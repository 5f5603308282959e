package dev.glassbox.instrument.stats;

import java.util.Arrays;

/** A growable list of doubles, one per step: the history behind "statistic over steps" charts. */
public final class Series {
    private double[] values = new double[16];
    private int size;

    public void add(double value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = value;
    }

    public int size() {
        return size;
    }

    public double get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " of a series of " + size);
        }
        return values[index];
    }

    public double last() {
        return size == 0 ? Double.NaN : values[size - 1];
    }

    /** Mean of the finite values, or NaN when there are none. */
    public double mean() {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    public double[] toArray() {
        return Arrays.copyOf(values, size);
    }
}
