package dev.glassbox.tsne;

/**
 * One way of computing the t-SNE gradient for an embedding y [n, dims] (row-major, double).
 *
 * <p>With w_ij = 1 / (1 + |y_i − y_j|²), Z = Σ_{k≠l} w_kl and q_ij = w_ij / Z, the gradient of
 * KL(P‖Q) is 4 Σ_j (p_ij − q_ij) w_ij (y_i − y_j). Implementations write it without the 4, as bhtsne does
 * (see {@link TSneConfig} on learning-rate units), split into an attractive part Σ_j p_ij w_ij (y_i − y_j)
 * over the non-zeros of P and a repulsive part Σ_j w_ij² (y_i − y_j) / Z over all pairs — the expensive one,
 * which the methods differ in approximating.
 *
 * <p>Public so that benchmarks and experiments can time or inspect one iteration of a method on their own; get
 * one from {@link TSne#gradient}.
 */
public interface Gradient {

    /**
     * Computes the gradient.
     *
     * @param y            embedding [n, dims] (not modified)
     * @param exaggeration factor applied to P (early exaggeration), 1 otherwise
     * @param gradient     receives the gradient without the factor 4, [n, dims] (modified)
     * @return Z = Σ_{i≠j} w_ij as this method estimates it
     */
    double compute(double[] y, double exaggeration, double[] gradient);

    /** KL(P‖Q) for the embedding {@code y}, using the Z returned by the last {@link #compute} on it. */
    double klDivergence(double[] y, double z);
}
