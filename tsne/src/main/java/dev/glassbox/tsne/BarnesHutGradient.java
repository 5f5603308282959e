package dev.glassbox.tsne;

import java.util.concurrent.atomic.LongAdder;

/**
 * The Barnes-Hut t-SNE gradient (van der Maaten 2014): attraction exactly over the sparse P, repulsion
 * approximated with a {@link SpaceTree} in O(N log N).
 *
 * <p>Seen from point i, a cell of width w whose centre of mass lies at distance r is summarised as
 * {@code count} points at its centre of mass when w / r &lt; θ: it adds count·w_ic to Z and
 * count·w_ic² (y_i − y_c) to the repulsion, with w_ic = 1 / (1 + r²). With θ = 0 no cell is summarised and
 * the result is the exact gradient. The width is the cell's full side length, as scikit-learn measures it.
 *
 * <p>Each point walks the tree alone and writes only its own row; the per-point parts of Z are added in
 * index order, so the result is the same for any number of threads. In 2-D with the Vector API a vector's worth of
 * points walk together ({@link VectorRepulsion}), each lane adding what its point's own walk adds, bit for bit:
 * measured on two threads, both walks alternating in one JVM (15 rounds, AVX-512), a gradient of 1,000 points
 * 1.50 → 0.86 ms and of 10,000 points 20.7 → 10.8 ms (medians; the ratio 0.58 and 0.53).
 */
final class BarnesHutGradient implements Gradient {

    private final Attraction attraction;    // the sparse half, over P's non-zeros
    private final int n;
    private final int dims;
    private final double theta;
    private final Parallel parallel;
    private final double[] repulsion;       // [n, dims] Σ_j w_ij² (y_i − y_j), before dividing by Z
    private final double[] zPart;           // [n] Σ_j w_ij seen from i
    /** In 2-D with the Vector API: points walk the tree a vector at a time ({@link VectorRepulsion}). */
    private final boolean packets;
    /** Each thread's working memory for the packets' walks. */
    private final ThreadLocal<VectorRepulsion> walks;
    /** While not warm, one packet in this many goes by packets ({@link #repelByPackets}). */
    static final int WARM_UP_SHARE = 4;
    private volatile boolean packetsWarm;
    private final LongAdder packetNanos = new LongAdder();
    private final LongAdder walkNanos = new LongAdder();
    private final LongAdder packetPoints = new LongAdder();
    private final LongAdder walkPoints = new LongAdder();

    BarnesHutGradient(Affinities.Sparse p, int dims, double theta, Parallel parallel) {
        this(p, dims, theta, parallel, true);
    }

    /** @param packets whether 2-D walks may take {@link VectorRepulsion}'s packets (false: the one-point walk) */
    BarnesHutGradient(Affinities.Sparse p, int dims, double theta, Parallel parallel, boolean packets) {
        this.attraction = new Attraction(p, dims);
        this.n = p.n();
        this.dims = dims;
        this.theta = theta;
        this.parallel = parallel;
        this.repulsion = new double[n * dims];
        this.zPart = new double[n];
        this.packets = packets && dims == 2 && VectorModule.PRESENT;
        this.walks = this.packets ? ThreadLocal.withInitial(VectorRepulsion::new) : null;
    }

    /** Walks by packets only from the first gradient on, without timing them against the one-point walk. */
    BarnesHutGradient packetsOnly() {
        packetsWarm = true;
        return this;
    }

    @Override
    public double compute(double[] y, double exaggeration, double[] gradient) {
        SpaceTree tree = new SpaceTree(y, n, dims);
        boolean warm = packetsWarm;
        parallel.forRange(n, (from, to) -> {
            int[] stack = new int[64 * (1 << dims)];
            if (packets) {
                repelByPackets(tree, y, from, to, warm, stack);
                return;
            }
            // Walk in the tree's point order: consecutive points are neighbours and open the same cells,
            // which stay in cache. Each point still writes only its own results.
            for (int s = from; s < to; s++) {
                int i = tree.order[s];
                zPart[i] = repel(tree, y, i, stack);
            }
        });
        if (packets && !warm) {
            long packetsRate = packetNanos.sumThenReset() * walkPoints.sum();
            long walkRate = walkNanos.sumThenReset() * packetPoints.sum();
            packetPoints.reset();
            walkPoints.reset();
            packetsWarm = packetsRate < walkRate;               // the packets' time a point below the walk's
        }
        double z = 0;
        for (int i = 0; i < n; i++) {
            z += zPart[i];
        }
        double invZ = 1 / z;
        parallel.forRange(n, (from, to) -> {
            for (int k = from * dims; k < to * dims; k++) {
                gradient[k] = -repulsion[k] * invZ;
            }
            attraction.add(y, exaggeration, gradient, from, to);
        });
        return z;
    }

    /**
     * The points of the tree's order [from, to) by {@link VectorRepulsion}'s packets, or, until they are
     * {@code warm}, one packet in {@value #WARM_UP_SHARE} by packets and the rest by the one-point walk, both timed.
     * Both give the same numbers; the split only decides what it costs. In a fresh JVM the Vector API code runs
     * unintrinsified, allocating every vector, until the JIT has compiled it, and in one 1,000-point run that
     * cost more than the packets then saved (2.98 against 2.45 s, the first 50 iterations 1.99 against 0.79 s).
     * So while the packets are slower a point than the walk, only a share of them runs that way: enough for the
     * JIT to see them often, few enough that waiting for it costs less (measured in fresh JVMs against the code
     * before packets, whole run: 2.25 and 2.56 s against 2.02 and 2.55 s with one packet in 4; one in 16 was
     * worse). After the first gradient whose packets beat the walk, this instance walks by packets only.
     */
    private void repelByPackets(SpaceTree tree, double[] y, int from, int to, boolean warm, int[] stack) {
        VectorRepulsion walk = walks.get();
        long packetTime = 0;
        long walkTime = 0;
        int byPackets = 0;
        int byWalk = 0;
        for (int s = from, packet = 0; s < to; s += VectorRepulsion.LANES, packet++) {
            int count = Math.min(VectorRepulsion.LANES, to - s);
            if (warm) {
                walk.repel(tree, s, count, theta, repulsion, zPart);
                continue;
            }
            long start = System.nanoTime();
            if (packet % WARM_UP_SHARE == 0) {
                walk.repel(tree, s, count, theta, repulsion, zPart);
                packetTime += System.nanoTime() - start;
                byPackets += count;
            } else {
                for (int q = s; q < s + count; q++) {
                    int i = tree.order[q];
                    zPart[i] = repel(tree, y, i, stack);
                }
                walkTime += System.nanoTime() - start;
                byWalk += count;
            }
        }
        if (!warm) {
            packetNanos.add(packetTime);
            walkNanos.add(walkTime);
            packetPoints.add(byPackets);
            walkPoints.add(byWalk);
        }
    }

    /** Walks the tree from point i; writes its repulsion row and returns its share of Z. */
    private double repel(SpaceTree tree, double[] y, int i, int[] stack) {
        double theta2 = theta * theta;
        double[] node4 = tree.packed;          // [node, dims + 2]: centre of mass, width², count
        int stride = dims + 2;
        double[] leafY = tree.leafY;
        double yi0 = y[i * dims];
        double yi1 = y[i * dims + 1];
        double yi2 = dims == 3 ? y[i * dims + 2] : 0;
        double z = 0;
        double f0 = 0;
        double f1 = 0;
        double f2 = 0;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            int c = node * stride;
            double d0 = yi0 - node4[c];
            double d1 = yi1 - node4[c + 1];
            double d2 = dims == 3 ? yi2 - node4[c + 2] : 0;
            double dist2 = d0 * d0 + d1 * d1 + d2 * d2;
            if (node4[c + dims] < theta2 * dist2) {
                // Far enough: the whole cell acts as count points at its centre of mass.
                double q = 1 / (1 + dist2);
                double mult = node4[c + dims + 1] * q;
                z += mult;
                mult *= q;
                f0 += mult * d0;
                f1 += mult * d1;
                f2 += mult * d2;
            } else if (tree.firstChild[node] < 0) {
                // A leaf too close to summarise: its points one by one.
                int start = tree.pointStart[node];
                int end = start + tree.count[node];
                for (int s = start; s < end; s++) {
                    if (tree.order[s] == i) {
                        continue;
                    }
                    int o = s * dims;
                    double e0 = yi0 - leafY[o];
                    double e1 = yi1 - leafY[o + 1];
                    double e2 = dims == 3 ? yi2 - leafY[o + 2] : 0;
                    double q = 1 / (1 + e0 * e0 + e1 * e1 + e2 * e2);
                    z += q;
                    double q2 = q * q;
                    f0 += q2 * e0;
                    f1 += q2 * e1;
                    f2 += q2 * e2;
                }
            } else {
                // Push children last-first so they are visited in order: a fixed summation order.
                for (int ch = tree.firstChild[node] + tree.childCount[node] - 1; ch >= tree.firstChild[node]; ch--) {
                    stack[top++] = ch;
                }
            }
        }
        repulsion[i * dims] = f0;
        repulsion[i * dims + 1] = f1;
        if (dims == 3) {
            repulsion[i * dims + 2] = f2;
        }
        return z;
    }

    @Override
    public double klDivergence(double[] y, double z) {
        return attraction.klDivergence(y, z, parallel);
    }
}
