package dev.glassbox.instrument.probe;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal 1980; Nocedal &amp; Wright, Numerical Optimization, algorithm 7.4) with a
 * backtracking Armijo line search: minimises a smooth function from its value and gradient.
 *
 * <p>The idea: Newton's step −H⁻¹g is excellent but H is d×d. L-BFGS keeps only the last {@link #HISTORY} steps
 * s = x_{k+1} − x_k and gradient changes y = g_{k+1} − g_k, and applies an approximation of H⁻¹ to g through the
 * two-loop recursion in O(m·d). A pair is kept only when sᵀy &gt; 0 (the curvature condition), which keeps the
 * approximation positive definite, so every direction goes downhill.
 */
final class Lbfgs {
    /** Number of (s, y) pairs remembered; 10 is scikit-learn's and SciPy's default. */
    static final int HISTORY = 10;
    /** Armijo constant: accept a step that achieves this fraction of the decrease the slope promises. */
    static final double ARMIJO = 1e-4;

    /** f(x) and its gradient: writes ∇f(x) into {@code gradient} and returns f(x). */
    interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    private Lbfgs() {}

    /**
     * Minimises {@code f} from {@code x} (modified: holds the minimiser on return) for at most
     * {@code maxIterations} iterations, or until the largest gradient component falls below {@code tolerance}.
     */
    static double minimize(Objective f, double[] x, int maxIterations, double tolerance) {
        int d = x.length;
        double[] g = new double[d];
        double fx = f.evaluate(x, g);
        Deque<double[][]> pairs = new ArrayDeque<>();               // newest first: {s, y, {1 / sᵀy}}
        double[] direction = new double[d];
        double[] xNew = new double[d];
        double[] gNew = new double[d];
        for (int iteration = 0; iteration < maxIterations && maxAbs(g) > tolerance; iteration++) {
            // Step 1: direction = −H·g by the two-loop recursion.
            System.arraycopy(g, 0, direction, 0, d);
            double[] alphas = new double[pairs.size()];
            int i = 0;
            for (double[][] p : pairs) {
                alphas[i] = p[2][0] * dot(p[0], direction);
                axpy(-alphas[i], p[1], direction);
                i++;
            }
            double gamma = pairs.isEmpty() ? 1 / Math.max(1e-12, norm(g)) : scaling(pairs.peekFirst());
            scale(direction, gamma);
            var reversed = pairs.descendingIterator();
            i = pairs.size() - 1;
            while (reversed.hasNext()) {
                double[][] p = reversed.next();
                double beta = p[2][0] * dot(p[1], direction);
                axpy(alphas[i] - beta, p[0], direction);
                i--;
            }
            scale(direction, -1);
            double slope = dot(g, direction);
            if (slope >= 0) {                        // not a descent direction (rounding): restart from −g
                pairs.clear();
                System.arraycopy(g, 0, direction, 0, d);
                scale(direction, -1 / Math.max(1e-12, norm(g)));
                slope = dot(g, direction);
            }
            // Step 2: backtrack from the full step until the Armijo condition holds.
            double step = 1;
            double fNew = Double.NaN;
            for (int tries = 0; tries < 40; tries++) {
                for (int j = 0; j < d; j++) {
                    xNew[j] = x[j] + step * direction[j];
                }
                fNew = f.evaluate(xNew, gNew);
                if (fNew <= fx + ARMIJO * step * slope) {
                    break;
                }
                step *= 0.5;
            }
            if (!(fNew < fx)) {
                break;                               // no progress possible at float64 resolution
            }
            // Step 3: remember the pair if it has positive curvature.
            double[] s = new double[d];
            double[] y = new double[d];
            for (int j = 0; j < d; j++) {
                s[j] = xNew[j] - x[j];
                y[j] = gNew[j] - g[j];
            }
            double sy = dot(s, y);
            if (sy > 1e-12 * dot(y, y)) {
                pairs.addFirst(new double[][] {s, y, {1 / sy}});
                if (pairs.size() > HISTORY) {
                    pairs.removeLast();
                }
            }
            System.arraycopy(xNew, 0, x, 0, d);
            System.arraycopy(gNew, 0, g, 0, d);
            fx = fNew;
        }
        return fx;
    }

    /** H₀ = (sᵀy / yᵀy)·I: the usual initial scaling, so a unit step is about the right length. */
    private static double scaling(double[][] newest) {
        return 1 / (newest[2][0] * dot(newest[1], newest[1]));
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    private static void scale(double[] x, double factor) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= factor;
        }
    }

    private static double norm(double[] x) {
        return Math.sqrt(dot(x, x));
    }

    private static double maxAbs(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
