package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 2-D Barnes-Hut repulsion of {@link BarnesHutGradient} with the Vector API: a vector's worth of points (8 with
 * AVX-512) walk the tree together, one point a lane. Points next to each other in the tree's order open nearly the
 * same cells, so the walk of the group visits few more cells than the walk of one point, and does the arithmetic
 * of every cell for all of them at once.
 *
 * <p>Each lane is one point's own walk: at a cell, the lanes whose point summarises it (w² &lt; θ² r²) add its
 * contribution and go no deeper there; the others, if any, descend, each child pushed on the stack with the mask of
 * the lanes that descended. The cells are visited in the order of the one-point walk, each lane adds exactly the
 * contributions that point's walk adds, in the same order, with the same operations (no fused multiply-adds, the
 * additions grouped as there), and a lane not concerned adds 0 (its sums cannot be −0, they start at +0). So every
 * point's Z part and repulsion are the one-point walk's, bit for bit (tested), and so is the whole t-SNE run.
 *
 * <p>Loaded only when the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorRepulsion {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = DOUBLES.length();

    private final double[] maskStack;       // [entry, LANES]: 1 where the lane descends into the entry's cell
    private final int[] nodeStack;
    private final double[] sums = new double[3 * LANES];    // Z part, repulsion x, repulsion y: a lane each
    private final double[] ys0 = new double[LANES];
    private final double[] ys1 = new double[LANES];
    private final double[] points = new double[LANES];
    private final double[] weights = new double[LANES];     // 1 for the lanes that go into a leaf or cell

    /** Working memory for one thread's walks. */
    VectorRepulsion() {
        int entries = SpaceTree.MAX_DEPTH * 4 + 4;           // a quadtree: at most 3 siblings left behind a level
        nodeStack = new int[entries];
        maskStack = new double[entries * LANES];
    }

    /**
     * Walks the tree for the points {@code tree.order[first .. first + count)} (count at most {@link #LANES}):
     * writes each one's repulsion row (before dividing by Z) into {@code repulsion} and its part of Z into
     * {@code zPart}.
     */
    void repel(SpaceTree tree, int first, int count, double theta, double[] repulsion, double[] zPart) {
        double theta2 = theta * theta;
        double[] node4 = tree.packed;                         // [node, 4]: centre of mass, width², count
        load(tree, first, count);
        DoubleVector yi0 = DoubleVector.fromArray(DOUBLES, ys0, 0);
        DoubleVector yi1 = DoubleVector.fromArray(DOUBLES, ys1, 0);
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        // The sums live in memory, not in loop-carried vectors, and are added to there in place, never through a
        // helper method: the Java 17 compiler boxes vectors that flow around a loop through branches, and vectors
        // passed to a method it does not inline (8 MB a gradient here, slower than the one-point walk).
        java.util.Arrays.fill(sums, 0.0);                       // a call, not a loop here (see load)
        VectorMask<Double> group = DOUBLES.indexInRange(0, count);
        zero.blend(one, group).intoArray(maskStack, 0);
        nodeStack[0] = 0;
        int top = 1;
        while (top > 0) {
            top--;
            int node = nodeStack[top];
            VectorMask<Double> active = DoubleVector.fromArray(DOUBLES, maskStack, top * LANES)
                    .compare(VectorOperators.NE, 0.0);
            int c = node * 4;
            DoubleVector d0 = yi0.sub(node4[c]);
            DoubleVector d1 = yi1.sub(node4[c + 1]);
            DoubleVector dist2 = d0.mul(d0).add(d1.mul(d1));
            VectorMask<Double> far = dist2.mul(theta2).compare(VectorOperators.GT, node4[c + 2]).and(active);
            if (far.anyTrue()) {
                // far enough: the whole cell acts as count points at its centre of mass
                DoubleVector q = one.div(one.add(dist2));
                DoubleVector mult = q.mul(node4[c + 3]);
                DoubleVector.fromArray(DOUBLES, sums, 0).add(zero.blend(mult, far)).intoArray(sums, 0);
                mult = mult.mul(q);
                DoubleVector.fromArray(DOUBLES, sums, LANES).add(zero.blend(mult.mul(d0), far))
                        .intoArray(sums, LANES);
                DoubleVector.fromArray(DOUBLES, sums, 2 * LANES).add(zero.blend(mult.mul(d1), far))
                        .intoArray(sums, 2 * LANES);
            }
            VectorMask<Double> near = active.andNot(far);
            if (!near.anyTrue()) {
                continue;
            }
            zero.blend(one, near).intoArray(weights, 0);
            if (tree.firstChild[node] < 0) {
                // a leaf too close to summarise: its points one by one, each lane skipping its own point
                leaf(tree, tree.pointStart[node], tree.pointStart[node] + tree.count[node]);
            } else {
                top = push(tree, node, top);                    // the lanes that go on descend into the children
            }
        }
        store(tree, first, count, repulsion, zPart);
    }

    /*
     * The packet's points in, its sums out: small loops of their own, because a loop inside repel, run LANES times
     * a call, soon counts enough turns for the JIT to compile the whole of repel again from that loop (on-stack
     * replacement), and each such compilation of the large method took CPU time from the walk while it mattered.
     */

    /** The coordinates and numbers of the points tree.order[first, first + count); lanes past them repeat the last. */
    private void load(SpaceTree tree, int first, int count) {
        for (int lane = 0; lane < LANES; lane++) {
            int s = first + Math.min(lane, count - 1);
            ys0[lane] = tree.leafY[2 * s];
            ys1[lane] = tree.leafY[2 * s + 1];
            points[lane] = tree.order[s];
        }
    }

    /**
     * Pushes the children of {@code node} on the stack above {@code top}, last first so that they are visited in
     * order, as in the one-point walk, each with the lanes that descend ({@code weights}); returns the new top.
     */
    private int push(SpaceTree tree, int node, int top) {
        for (int ch = tree.firstChild[node] + tree.childCount[node] - 1; ch >= tree.firstChild[node]; ch--) {
            nodeStack[top] = ch;
            System.arraycopy(weights, 0, maskStack, top * LANES, LANES);
            top++;
        }
        return top;
    }

    /** Each point's part of Z and repulsion row from the lanes' sums. */
    private void store(SpaceTree tree, int first, int count, double[] repulsion, double[] zPart) {
        for (int lane = 0; lane < count; lane++) {
            int i = tree.order[first + lane];
            zPart[i] = sums[lane];
            repulsion[2 * i] = sums[LANES + lane];
            repulsion[2 * i + 1] = sums[2 * LANES + lane];
        }
    }

    /**
     * The points [start, end) of a leaf (in the tree's order) added to every lane whose {@code weights} entry is
     * 1, except to the lane whose own point it is: each contribution is multiplied by the lane's weight, 1 (the
     * same number) or 0 (then ±0 is added, which leaves a sum that is not −0 as it is). Its own method, reading the
     * packet's vectors from memory again, with the sums in registers for the length of the loop (which has no
     * branch): written inside the walk, these operations fell back to Java 17's slow code that allocates every
     * vector.
     */
    private void leaf(SpaceTree tree, int start, int end) {
        double[] leafY = tree.leafY;
        DoubleVector yi0 = DoubleVector.fromArray(DOUBLES, ys0, 0);
        DoubleVector yi1 = DoubleVector.fromArray(DOUBLES, ys1, 0);
        DoubleVector point = DoubleVector.fromArray(DOUBLES, points, 0);
        DoubleVector near = DoubleVector.fromArray(DOUBLES, weights, 0);
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        DoubleVector one = DoubleVector.broadcast(DOUBLES, 1.0);
        DoubleVector z = DoubleVector.fromArray(DOUBLES, sums, 0);
        DoubleVector f0 = DoubleVector.fromArray(DOUBLES, sums, LANES);
        DoubleVector f1 = DoubleVector.fromArray(DOUBLES, sums, 2 * LANES);
        for (int s = start; s < end; s++) {
            DoubleVector weight = near.blend(zero, point.eq(tree.order[s]));
            DoubleVector e0 = yi0.sub(leafY[2 * s]);
            DoubleVector e1 = yi1.sub(leafY[2 * s + 1]);
            DoubleVector q = one.div(one.add(e0.mul(e0)).add(e1.mul(e1)));
            z = z.add(q.mul(weight));
            DoubleVector q2 = q.mul(q);
            f0 = f0.add(q2.mul(e0).mul(weight));
            f1 = f1.add(q2.mul(e1).mul(weight));
        }
        z.intoArray(sums, 0);
        f0.intoArray(sums, LANES);
        f1.intoArray(sums, 2 * LANES);
    }
}
