package dev.glassbox.tsne;

/**
 * A gradient that runs with the points renumbered, for speed: the caller's embedding is copied into the new
 * order, the inner gradient (built on P {@linkplain Affinities.Sparse#relabelled relabelled} the same way) runs
 * there, and its result is copied back.
 *
 * <p>Why: the attraction walks P row by row and reads y_j for each neighbour j. In input order the neighbours of
 * a point are anywhere among the N, so at N = 70,000 nearly every y_j read missed the level-2 cache, which the
 * stream of P's 9 million entries keeps flushing (10 ns an entry). In {@link KdOrder} a point's neighbours are
 * mostly a few rows away. The two copies cost O(N) an iteration; the result differs from a run in input order only
 * by the order in which sums are added.
 */
final class Relabelled implements Gradient {
    private final Gradient inner;
    private final int[] order;             // position r of the inner order holds point order[r]
    private final int dims;
    private final double[] y;
    private final double[] gradient;

    Relabelled(Gradient inner, int[] order, int dims) {
        this.inner = inner;
        this.order = order;
        this.dims = dims;
        this.y = new double[order.length * dims];
        this.gradient = new double[order.length * dims];
    }

    @Override
    public double compute(double[] outerY, double exaggeration, double[] outerGradient) {
        gather(outerY);
        double z = inner.compute(y, exaggeration, gradient);
        for (int r = 0; r < order.length; r++) {
            System.arraycopy(gradient, r * dims, outerGradient, order[r] * dims, dims);
        }
        return z;
    }

    @Override
    public double klDivergence(double[] outerY, double z) {
        gather(outerY);
        return inner.klDivergence(y, z);
    }

    private void gather(double[] outerY) {
        for (int r = 0; r < order.length; r++) {
            System.arraycopy(outerY, order[r] * dims, y, r * dims, dims);
        }
    }
}
