package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * e^x for a vector of doubles x ≤ 0, from additions, multiplications and fused multiply-adds only, for
 * {@link Metrics#klDivergence}: its dense affinities take e^(−β·d) of every other point, tens of times per point
 * while β is bisected, and {@link Math#exp} one value at a time was most of that metric's time.
 *
 * <p>The method is the textbook one (Cody and Waite's reduction, then a polynomial): x = k·ln 2 + r with k the
 * nearest integer to x / ln 2 and |r| ≤ ln 2 / 2, r taken in two steps with ln 2 split in a high part that
 * k multiplies exactly and a low part; e^r by its Taylor series to the 13th power (the first term left out is below
 * 2⁻⁵⁵ of the result), by Horner's rule with fused multiply-adds; and the 2^k added to the exponent bits. Within 2
 * units in the last place of {@link Math#exp} (tested). Every step is an IEEE operation with one correctly rounded
 * result, so the values are the same on every machine and for every vector width — which the Java 17 Vector API's
 * own EXP does not promise (it calls the platform's vector math library where there is one, and falls back to
 * slow per-lane code where there is not).
 *
 * <p>For x below −708.39 (where e^x is no longer a normal double) it gives 0 instead of a subnormal number or
 * e^−745's 4.9·10⁻³²⁴: an absolute error below 2.3·10⁻³⁰⁸.
 */
final class VectorExp {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    static final int LANES = DOUBLES.length();

    /** Below this, e^x is not a normal double. */
    static final double SMALLEST = -708.39;
    private static final double LOG2_E = 1.4426950408889634;
    /** ln 2 in two parts: the high one has 11 trailing zero bits, so k·LN2_HIGH is exact for |k| < 2¹¹. */
    private static final double LN2_HIGH = 0x1.62e42fee00000p-1;
    private static final double LN2_LOW = 0x1.a39ef35793c76p-33;
    /** 1.5·2⁵²: added to a double of magnitude below 2⁵¹, rounds it to an integer held in the low mantissa bits. */
    private static final double SHIFTER = 0x1.8p52;
    private static final double[] TAYLOR = new double[14];          // 1 / m!, m = 0 .. 13

    static {
        double term = 1;
        for (int m = 0; m < TAYLOR.length; m++) {
            term /= Math.max(1, m);
            TAYLOR[m] = term;
        }
    }

    private VectorExp() {
    }

    /** e^x lane by lane, for lanes x ≤ 0 (not NaN). */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector shifted = x.fma(DoubleVector.broadcast(DOUBLES, LOG2_E), DoubleVector.broadcast(DOUBLES, SHIFTER));
        DoubleVector k = shifted.sub(SHIFTER);                         // the nearest integer to x / ln 2
        DoubleVector r = k.fma(DoubleVector.broadcast(DOUBLES, -LN2_HIGH), x);
        r = k.fma(DoubleVector.broadcast(DOUBLES, -LN2_LOW), r);
        DoubleVector p = DoubleVector.broadcast(DOUBLES, TAYLOR[13]);
        for (int m = 12; m >= 0; m--) {
            p = p.fma(r, DoubleVector.broadcast(DOUBLES, TAYLOR[m]));
        }
        LongVector twoToK = shifted.reinterpretAsLongs()
                .sub(Double.doubleToRawLongBits(SHIFTER))
                .lanewise(VectorOperators.LSHL, 52);
        DoubleVector e = p.reinterpretAsLongs().add(twoToK).reinterpretAsDoubles();
        return e.blend(0.0, x.compare(VectorOperators.LT, SMALLEST));
    }

    /**
     * {@link Affinities.RowWeights} with this exp: {@code out[offset + j] = e^(−β (d_j − min))} for j &lt; len,
     * and {@code sums[0] = Σ out}, {@code sums[1] = Σ (d_j − min) · out} (the last few values with {@link Math#exp},
     * then the lanes added to them in lane order).
     */
    static void weigh(double[] d, int len, double min, double beta, double[] out, int offset, double[] sums) {
        DoubleVector minus = DoubleVector.broadcast(DOUBLES, min);
        DoubleVector scale = DoubleVector.broadcast(DOUBLES, -beta);
        DoubleVector sum = DoubleVector.zero(DOUBLES);
        DoubleVector weighted = DoubleVector.zero(DOUBLES);
        int j = 0;
        for (; j <= len - LANES; j += LANES) {
            DoubleVector dist = DoubleVector.fromArray(DOUBLES, d, j).sub(minus);
            DoubleVector p = exp(dist.mul(scale));
            p.intoArray(out, offset + j);
            sum = sum.add(p);
            weighted = dist.fma(p, weighted);
        }
        double[] lanes = new double[2 * LANES];
        sum.intoArray(lanes, 0);
        weighted.intoArray(lanes, LANES);
        double s = 0;
        double w = 0;
        for (int lane = 0; lane < LANES; lane++) {
            s += lanes[lane];
            w += lanes[LANES + lane];
        }
        Affinities.weigh(d, j, len, min, beta, out, offset, sums);
        sums[0] += s;
        sums[1] += w;
    }
}
