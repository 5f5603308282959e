package dev.glassbox.instrument.probe;

import dev.glassbox.engine.data.Dataset;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.instrument.Extraction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * k-fold cross-validated accuracy of a {@link LinearProbe}, and the probe run on every layer of a model. The folds
 * are stratified as scikit-learn's {@code StratifiedKFold} without shuffling: the examples of each class are dealt
 * to the folds in their order, so each fold has about the same class mix and the result needs no seed.
 */
public final class CrossValidation {
    /** Name of the raw-input baseline in {@link #perLayer}. */
    public static final String PIXELS = "pixels";

    private CrossValidation() {}

    /** Mean accuracy over {@code folds} train/test splits of {@code x} [n, ...] (not modified). */
    public static double accuracy(Tensor x, int[] labels, int classes, int folds, double c, int maxIterations) {
        int n = x.dim(0);
        if (folds < 2 || folds > n) {
            throw new IllegalArgumentException("cross-validation needs 2 <= folds <= n, got " + folds + " folds for "
                    + n + " examples");
        }
        int[] fold = new int[n];
        int[] seenOfClass = new int[classes];
        for (int i = 0; i < n; i++) {
            fold[i] = seenOfClass[labels[i]]++ % folds;
        }
        Tensor rows = Extraction.flattenRows(x);
        int d = rows.dim(1);
        double sum = 0;
        for (int f = 0; f < folds; f++) {
            int testSize = 0;
            for (int i = 0; i < n; i++) {
                testSize += fold[i] == f ? 1 : 0;
            }
            float[] train = new float[(n - testSize) * d];
            float[] test = new float[testSize * d];
            int[] trainLabels = new int[n - testSize];
            int[] testLabels = new int[testSize];
            int a = 0;
            int b = 0;
            for (int i = 0; i < n; i++) {
                if (fold[i] == f) {
                    System.arraycopy(rows.data(), i * d, test, b * d, d);
                    testLabels[b++] = labels[i];
                } else {
                    System.arraycopy(rows.data(), i * d, train, a * d, d);
                    trainLabels[a++] = labels[i];
                }
            }
            LinearProbe probe = LinearProbe.fit(new Tensor(train, n - testSize, d), trainLabels, classes, c,
                    maxIterations);
            sum += probe.accuracy(new Tensor(test, testSize, d), testLabels);
        }
        return sum / folds;
    }

    /**
     * Cross-validated probe accuracy on the raw input ({@link #PIXELS}) and on each chosen layer's representation
     * of {@code data}, extracted in batches without a graph.
     */
    public static Map<String, Double> perLayer(Model model, List<String> layerNames, Dataset data, int classes,
            int folds) {
        Map<String, Double> accuracies = new LinkedHashMap<>();
        accuracies.put(PIXELS, accuracy(data.inputs(), data.labels(), classes, folds, LinearProbe.DEFAULT_C,
                LinearProbe.DEFAULT_MAX_ITERATIONS));
        Map<String, Tensor> representations = Extraction.extract(model, layerNames, data.inputs(), 250);
        for (Map.Entry<String, Tensor> e : representations.entrySet()) {
            accuracies.put(e.getKey(), accuracy(e.getValue(), data.labels(), classes, folds, LinearProbe.DEFAULT_C,
                    LinearProbe.DEFAULT_MAX_ITERATIONS));
        }
        return accuracies;
    }
}
