package dev.glassbox.instrument.probe;

import dev.glassbox.engine.kernels.Blas;
import dev.glassbox.engine.tensor.Tensor;

/**
 * A linear probe: multinomial logistic regression from a layer's representation to the labels. If a linear
 * classifier reads the class off a layer well, the layer has made the classes linearly separable (Alain &amp;
 * Bengio, "Understanding intermediate layers using linear classifier probes", 2016).
 *
 * <p>Model and objective, for standardised features x ∈ ℝᵈ, weights W [d, K], biases b [K]:
 * <pre>
 *   p = softmax(xW + b)
 *   f(W, b) = (1/n) Σᵢ −log p_{yᵢ}(xᵢ) + (λ/2)·‖W‖²,      λ = 1 / (C·n)
 *   ∂f/∂W = (1/n) Xᵀ(P − Y) + λW,      ∂f/∂b = (1/n) Σᵢ (pᵢ − yᵢ)
 * </pre>
 * which is scikit-learn's {@code LogisticRegression(C)} objective divided by n (same minimiser), minimised with
 * L-BFGS as there. Features are standardised with the training set's mean and standard deviation (a constant
 * feature is left at 0), so one C suits every layer whatever its scale.
 */
public final class LinearProbe {
    /** Inverse regularisation strength, scikit-learn's default. */
    public static final double DEFAULT_C = 1.0;
    /** L-BFGS iterations, scikit-learn's default {@code max_iter}. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;
    /** Stop once every gradient component is below this (scikit-learn's {@code tol}). */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    private final int features;
    private final int classes;
    private final double[] mean;
    private final double[] scale;
    private final double[] weights;                    // W stored transposed, [K, d], then the K biases

    /** Whether {@link VectorDot} can be loaded (the JVM has the Vector API module). */
    private static final boolean VECTOR_API = Blas.vectorApiAvailable();

    private LinearProbe(int features, int classes, double[] mean, double[] scale, double[] weights) {
        this.features = features;
        this.classes = classes;
        this.mean = mean;
        this.scale = scale;
        this.weights = weights;
    }

    /** Fits with {@link #DEFAULT_C} and {@link #DEFAULT_MAX_ITERATIONS}. */
    public static LinearProbe fit(Tensor x, int[] labels, int classes) {
        return fit(x, labels, classes, DEFAULT_C, DEFAULT_MAX_ITERATIONS);
    }

    /**
     * Fits a probe.
     *
     * @param x features [n, d] (or [n, ...], flattened per row; not modified)
     * @param labels n class indices in [0, classes)
     */
    public static LinearProbe fit(Tensor x, int[] labels, int classes, double c, int maxIterations) {
        int n = x.dim(0);
        int d = x.size() / n;
        if (labels.length != n) {
            throw new IllegalArgumentException("linear probe: " + n + " rows of features but " + labels.length
                    + " labels");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("linear probe: label " + label + " outside [0, " + classes + ")");
            }
        }
        if (!(c > 0)) {
            throw new IllegalArgumentException("linear probe: C must be positive, got " + c);
        }
        // Step 1: standardise with this training set's statistics.
        float[] data = x.data();
        double[] mean = new double[d];
        double[] scale = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += data[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double dev = data[i * d + j] - mean[j];
                scale[j] += dev * dev;
            }
        }
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(scale[j] / n);
            scale[j] = std > 1e-12 ? 1 / std : 0;         // a constant feature carries nothing: zero it
        }
        double[] standardised = new double[n * d];
        for (int i = 0; i < n; i++) {
            standardise(data, i * d, mean, scale, standardised, i * d);
        }
        // Step 2: minimise the regularised cross-entropy from zero weights.
        double lambda = 1 / (c * n);
        double[] w = new double[(d + 1) * classes];
        Lbfgs.minimize((params, gradient) -> objective(standardised, labels, n, d, classes, lambda, params, gradient),
                w, maxIterations, DEFAULT_TOLERANCE);
        return new LinearProbe(d, classes, mean, scale, w);
    }

    /** (x − mean)·scale of one row, rounded to float like the features themselves, kept as double for the sums. */
    private static void standardise(float[] x, int from, double[] mean, double[] scale, double[] out, int at) {
        for (int j = 0; j < mean.length; j++) {
            out[at + j] = (float) ((x[from + j] - mean[j]) * scale[j]);
        }
    }

    /** Rows whose gradient shares {@link #objective} adds together (see {@link VectorDot#addScaledRows}). */
    static final int ROW_BLOCK = 8;

    /**
     * The objective and its gradient: a row's K logits are dot products with the rows of the transposed weights,
     * and its share of ∂f/∂W is K scaled copies of the row added into the gradient's rows. Both run along the d
     * features, which the Vector API takes several at a time; with W as [d, K] the inner loops were K = 10 long.
     * The logits are taken four classes at a time ({@link VectorDot#dot4}) and the gradient shares
     * {@value #ROW_BLOCK} rows at a time ({@link VectorDot#addScaledRows}): the same numbers, bit for bit, as one
     * dot product and one row at a time (tested), 0.69–0.86 × the time on 800 rows of 784 features (a pixel
     * probe's fold), most of it from loading and storing each gradient row once a block instead of once a row.
     */
    static double objective(double[] x, int[] labels, int n, int d, int classes, double lambda,
            double[] params, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        int biasOffset = d * classes;
        double[] z = new double[classes];
        double[] residuals = new double[classes * ROW_BLOCK];    // [class, row of the block]
        double loss = 0;
        for (int first = 0; first < n; first += ROW_BLOCK) {
            int rows = Math.min(ROW_BLOCK, n - first);
            for (int r = 0; r < rows; r++) {
                int row = (first + r) * d;
                logits(params, d, classes, x, row, z);           // z = W x_i + b
                for (int k = 0; k < classes; k++) {
                    z[k] += params[biasOffset + k];
                }
                loss += crossEntropyResidual(z, labels[first + r]);
                for (int k = 0; k < classes; k++) {
                    residuals[k * ROW_BLOCK + r] = z[k];
                }
            }
            for (int k = 0; k < classes; k++) {                  // ∂/∂W_k += (p_k − y_k) x_i, rows in order
                addScaledRows(residuals, k * ROW_BLOCK, rows, x, first * d, d, gradient, k * d);
                for (int r = 0; r < rows; r++) {
                    gradient[biasOffset + k] += residuals[k * ROW_BLOCK + r];
                }
            }
        }
        return loss / n + regularise(params, gradient, n, biasOffset, lambda);
    }

    /**
     * One row's cross-entropy from its logits {@code z} (log-sum-exp around the max); {@code z} becomes
     * p − onehot(label) (modified).
     */
    static double crossEntropyResidual(double[] z, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : z) {
            sum += Math.exp(v - max);
        }
        double logSum = max + Math.log(sum);
        double loss = logSum - z[label];
        for (int k = 0; k < z.length; k++) {
            z[k] = Math.exp(z[k] - logSum);
        }
        z[label] -= 1;
        return loss;
    }

    /**
     * Divides the summed gradient by the row count and adds the L2 penalty's gradient on the weights (not the
     * biases, from {@code biasOffset} on); returns the penalty, ½·λ·|W|².
     */
    static double regularise(double[] params, double[] gradient, int n, int biasOffset, double lambda) {
        double penalty = 0;
        for (int i = 0; i < params.length; i++) {
            gradient[i] /= n;
            if (i < biasOffset) {
                penalty += params[i] * params[i];
                gradient[i] += lambda * params[i];
            }
        }
        return 0.5 * lambda * penalty;
    }

    /** z[k] = W_k · x_row for every class, four classes at a time where the Vector API is there. */
    private static void logits(double[] params, int d, int classes, double[] x, int row, double[] z) {
        int k = 0;
        if (VECTOR_API) {
            for (; k + 4 <= classes; k += 4) {
                VectorDot.dot4(params, k * d, d, x, row, d, z, k);
            }
        }
        for (; k < classes; k++) {
            z[k] = dot(params, k * d, x, row, d);
        }
    }

    /**
     * gradient[at + j] += Σ_r residuals[from + r]·x[xFrom + r·d + j] over the block's rows in order, each element
     * as {@link #addScaled} one row at a time would give it; with the Vector API the gradient row is loaded and
     * stored once a block, not once a row.
     */
    private static void addScaledRows(double[] residuals, int from, int rows, double[] x, int xFrom, int d,
                                      double[] gradient, int at) {
        if (VECTOR_API) {
            VectorDot.addScaledRows(residuals, from, rows, x, xFrom, d, gradient, at, d);
            return;
        }
        for (int r = 0; r < rows; r++) {
            addScaled(residuals[from + r], x, xFrom + r * d, gradient, at, d);
        }
    }

    /** y[yFrom + j] += alpha·x[xFrom + j] for j < length: with the Vector API when the JVM has it. */
    static void addScaled(double alpha, double[] x, int xFrom, double[] y, int yFrom, int length) {
        if (VECTOR_API) {
            VectorDot.addScaled(alpha, x, xFrom, y, yFrom, length);
            return;
        }
        for (int j = 0; j < length; j++) {
            y[yFrom + j] += alpha * x[xFrom + j];
        }
    }

    /** Σ a[aFrom + j]·b[bFrom + j] for j < length: with the Vector API when the JVM has it. */
    static double dot(double[] a, int aFrom, double[] b, int bFrom, int length) {
        if (VECTOR_API) {
            return VectorDot.dot(a, aFrom, b, bFrom, length);
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < length; j += 4) {                         // four sums: not one addition waiting on the last
            s0 += a[aFrom + j] * b[bFrom + j];
            s1 += a[aFrom + j + 1] * b[bFrom + j + 1];
            s2 += a[aFrom + j + 2] * b[bFrom + j + 2];
            s3 += a[aFrom + j + 3] * b[bFrom + j + 3];
        }
        for (; j < length; j++) {
            s0 += a[aFrom + j] * b[bFrom + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** The most probable class of each row of {@code x} [n, d] (not modified). */
    public int[] predict(Tensor x) {
        int n = x.dim(0);
        if (x.size() != n * features) {
            throw new IllegalArgumentException("linear probe was fitted on " + features + " features per row, got "
                    + x.size() / Math.max(1, n));
        }
        float[] data = x.data();
        int[] predicted = new int[n];
        double[] z = new double[classes];
        double[] row = new double[features];
        for (int i = 0; i < n; i++) {
            standardise(data, i * features, mean, scale, row, 0);
            for (int k = 0; k < classes; k++) {
                z[k] = weights[features * classes + k] + dot(weights, k * features, row, 0, features);
            }
            int best = 0;
            for (int k = 1; k < classes; k++) {
                best = z[k] > z[best] ? k : best;
            }
            predicted[i] = best;
        }
        return predicted;
    }

    /** Fraction of rows of {@code x} whose predicted class is the label. */
    public double accuracy(Tensor x, int[] labels) {
        int[] predicted = predict(x);
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            correct += predicted[i] == labels[i] ? 1 : 0;
        }
        return (double) correct / labels.length;
    }
}
