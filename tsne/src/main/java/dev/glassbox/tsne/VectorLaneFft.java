package dev.glassbox.tsne;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LaneFft} with the Vector API: each butterfly is the scalar one on {@value LaneFft#LANES} lanes, done as
 * {@code LANES / SPECIES.length()} vector operations (one with AVX-512), the twiddle broadcast. Same operations in
 * the same order as {@link LaneFft.Scalar}, no fused multiply-adds: bitwise the same results. Loaded only when
 * the JVM has the {@code jdk.incubator.vector} module.
 */
final class VectorLaneFft extends LaneFft {

    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    private static final int STEP = Math.min(SPECIES.length(), LANES);

    VectorLaneFft(int size, int blockRows) {
        super(size, blockRows);
        if (LANES % SPECIES.length() != 0) {
            throw new IllegalStateException("preferred double vectors of " + SPECIES.length()
                    + " lanes do not divide " + LANES);
        }
    }

    @Override
    void forwardStages(double[] re, double[] im, int row0, int length, int span) {
        int h = span / 2;
        int step = half / span;
        for (int group = row0; group < row0 + length; group += 2 * span) {
            for (int j = 0; j < h; j++) {
                DoubleVector c0 = DoubleVector.broadcast(SPECIES, cos[j * step]);
                DoubleVector s0 = DoubleVector.broadcast(SPECIES, sin[j * step]);
                DoubleVector c1 = DoubleVector.broadcast(SPECIES, cos[(j + h) * step]);
                DoubleVector s1 = DoubleVector.broadcast(SPECIES, sin[(j + h) * step]);
                DoubleVector c2 = DoubleVector.broadcast(SPECIES, cos[2 * j * step]);
                DoubleVector s2 = DoubleVector.broadcast(SPECIES, sin[2 * j * step]);
                int r0 = (group + j) * LANES;
                int r1 = r0 + h * LANES;
                int r2 = r0 + span * LANES;
                int r3 = r2 + h * LANES;
                for (int l = 0; l < LANES; l += STEP) {
                    // Stage span: (r0, r2) with w^(j·step), (r1, r3) with w^((j + h)·step).
                    DoubleVector ar = DoubleVector.fromArray(SPECIES, re, r0 + l);
                    DoubleVector ai = DoubleVector.fromArray(SPECIES, im, r0 + l);
                    DoubleVector br = DoubleVector.fromArray(SPECIES, re, r2 + l);
                    DoubleVector bi = DoubleVector.fromArray(SPECIES, im, r2 + l);
                    DoubleVector dr = ar.sub(br);
                    DoubleVector di = ai.sub(bi);
                    DoubleVector x0r = ar.add(br);
                    DoubleVector x0i = ai.add(bi);
                    DoubleVector x2r = dr.mul(c0).add(di.mul(s0));
                    DoubleVector x2i = di.mul(c0).sub(dr.mul(s0));
                    ar = DoubleVector.fromArray(SPECIES, re, r1 + l);
                    ai = DoubleVector.fromArray(SPECIES, im, r1 + l);
                    br = DoubleVector.fromArray(SPECIES, re, r3 + l);
                    bi = DoubleVector.fromArray(SPECIES, im, r3 + l);
                    dr = ar.sub(br);
                    di = ai.sub(bi);
                    DoubleVector x1r = ar.add(br);
                    DoubleVector x1i = ai.add(bi);
                    DoubleVector x3r = dr.mul(c1).add(di.mul(s1));
                    DoubleVector x3i = di.mul(c1).sub(dr.mul(s1));
                    // Stage span/2: (r0, r1) and (r2, r3), both with w^(2j·step).
                    dr = x0r.sub(x1r);
                    di = x0i.sub(x1i);
                    x0r.add(x1r).intoArray(re, r0 + l);
                    x0i.add(x1i).intoArray(im, r0 + l);
                    dr.mul(c2).add(di.mul(s2)).intoArray(re, r1 + l);
                    di.mul(c2).sub(dr.mul(s2)).intoArray(im, r1 + l);
                    dr = x2r.sub(x3r);
                    di = x2i.sub(x3i);
                    x2r.add(x3r).intoArray(re, r2 + l);
                    x2i.add(x3i).intoArray(im, r2 + l);
                    dr.mul(c2).add(di.mul(s2)).intoArray(re, r3 + l);
                    di.mul(c2).sub(dr.mul(s2)).intoArray(im, r3 + l);
                }
            }
        }
    }

    @Override
    void inverseStages(double[] re, double[] im, int row0, int length, int span) {
        int h = span / 2;
        int step = half / span;
        for (int group = row0; group < row0 + length; group += 2 * span) {
            for (int j = 0; j < h; j++) {
                DoubleVector c0 = DoubleVector.broadcast(SPECIES, cos[j * step]);
                DoubleVector s0 = DoubleVector.broadcast(SPECIES, sin[j * step]);
                DoubleVector c1 = DoubleVector.broadcast(SPECIES, cos[(j + h) * step]);
                DoubleVector s1 = DoubleVector.broadcast(SPECIES, sin[(j + h) * step]);
                DoubleVector c2 = DoubleVector.broadcast(SPECIES, cos[2 * j * step]);
                DoubleVector s2 = DoubleVector.broadcast(SPECIES, sin[2 * j * step]);
                int r0 = (group + j) * LANES;
                int r1 = r0 + h * LANES;
                int r2 = r0 + span * LANES;
                int r3 = r2 + h * LANES;
                for (int l = 0; l < LANES; l += STEP) {
                    // Stage span/2: (r0, r1) and (r2, r3), both with w̄^(2j·step).
                    DoubleVector br = DoubleVector.fromArray(SPECIES, re, r1 + l);
                    DoubleVector bi = DoubleVector.fromArray(SPECIES, im, r1 + l);
                    DoubleVector tr = br.mul(c2).sub(bi.mul(s2));
                    DoubleVector ti = bi.mul(c2).add(br.mul(s2));
                    DoubleVector ar = DoubleVector.fromArray(SPECIES, re, r0 + l);
                    DoubleVector ai = DoubleVector.fromArray(SPECIES, im, r0 + l);
                    DoubleVector x0r = ar.add(tr);
                    DoubleVector x0i = ai.add(ti);
                    DoubleVector x1r = ar.sub(tr);
                    DoubleVector x1i = ai.sub(ti);
                    br = DoubleVector.fromArray(SPECIES, re, r3 + l);
                    bi = DoubleVector.fromArray(SPECIES, im, r3 + l);
                    tr = br.mul(c2).sub(bi.mul(s2));
                    ti = bi.mul(c2).add(br.mul(s2));
                    ar = DoubleVector.fromArray(SPECIES, re, r2 + l);
                    ai = DoubleVector.fromArray(SPECIES, im, r2 + l);
                    DoubleVector x2r = ar.add(tr);
                    DoubleVector x2i = ai.add(ti);
                    DoubleVector x3r = ar.sub(tr);
                    DoubleVector x3i = ai.sub(ti);
                    // Stage span: (r0, r2) with w̄^(j·step), (r1, r3) with w̄^((j + h)·step).
                    tr = x2r.mul(c0).sub(x2i.mul(s0));
                    ti = x2i.mul(c0).add(x2r.mul(s0));
                    x0r.add(tr).intoArray(re, r0 + l);
                    x0i.add(ti).intoArray(im, r0 + l);
                    x0r.sub(tr).intoArray(re, r2 + l);
                    x0i.sub(ti).intoArray(im, r2 + l);
                    tr = x3r.mul(c1).sub(x3i.mul(s1));
                    ti = x3i.mul(c1).add(x3r.mul(s1));
                    x1r.add(tr).intoArray(re, r1 + l);
                    x1i.add(ti).intoArray(im, r1 + l);
                    x1r.sub(tr).intoArray(re, r3 + l);
                    x1i.sub(ti).intoArray(im, r3 + l);
                }
            }
        }
    }

    @Override
    void forwardLastTwo(double[] re, double[] im, int row0, int length) {
        for (int group = row0; group < row0 + length; group += 4) {
            int r0 = group * LANES;
            for (int l = r0; l < r0 + LANES; l += STEP) {
                DoubleVector a0r = DoubleVector.fromArray(SPECIES, re, l);
                DoubleVector a0i = DoubleVector.fromArray(SPECIES, im, l);
                DoubleVector a1r = DoubleVector.fromArray(SPECIES, re, l + LANES);
                DoubleVector a1i = DoubleVector.fromArray(SPECIES, im, l + LANES);
                DoubleVector a2r = DoubleVector.fromArray(SPECIES, re, l + 2 * LANES);
                DoubleVector a2i = DoubleVector.fromArray(SPECIES, im, l + 2 * LANES);
                DoubleVector a3r = DoubleVector.fromArray(SPECIES, re, l + 3 * LANES);
                DoubleVector a3i = DoubleVector.fromArray(SPECIES, im, l + 3 * LANES);
                DoubleVector x0r = a0r.add(a2r);
                DoubleVector x0i = a0i.add(a2i);
                DoubleVector x2r = a0r.sub(a2r);
                DoubleVector x2i = a0i.sub(a2i);
                DoubleVector x1r = a1r.add(a3r);
                DoubleVector x1i = a1i.add(a3i);
                DoubleVector x3r = a1i.sub(a3i);
                DoubleVector x3i = a3r.sub(a1r);
                x0r.add(x1r).intoArray(re, l);
                x0i.add(x1i).intoArray(im, l);
                x0r.sub(x1r).intoArray(re, l + LANES);
                x0i.sub(x1i).intoArray(im, l + LANES);
                x2r.add(x3r).intoArray(re, l + 2 * LANES);
                x2i.add(x3i).intoArray(im, l + 2 * LANES);
                x2r.sub(x3r).intoArray(re, l + 3 * LANES);
                x2i.sub(x3i).intoArray(im, l + 3 * LANES);
            }
        }
    }

    @Override
    void productTwo(double[] re, double[] im, int row0, int length, double[] factors, int factorRow) {
        for (int group = row0; group < row0 + length; group += 4) {
            int r0 = group * LANES;
            int f0 = (factorRow + group - row0) * LANES;
            for (int l = 0; l < LANES; l += STEP) {
                int k = r0 + l;
                DoubleVector a0r = DoubleVector.fromArray(SPECIES, re, k);
                DoubleVector a0i = DoubleVector.fromArray(SPECIES, im, k);
                DoubleVector a1r = DoubleVector.fromArray(SPECIES, re, k + LANES);
                DoubleVector a1i = DoubleVector.fromArray(SPECIES, im, k + LANES);
                DoubleVector a2r = DoubleVector.fromArray(SPECIES, re, k + 2 * LANES);
                DoubleVector a2i = DoubleVector.fromArray(SPECIES, im, k + 2 * LANES);
                DoubleVector a3r = DoubleVector.fromArray(SPECIES, re, k + 3 * LANES);
                DoubleVector a3i = DoubleVector.fromArray(SPECIES, im, k + 3 * LANES);
                // forwardLastTwo
                DoubleVector x0r = a0r.add(a2r);
                DoubleVector x0i = a0i.add(a2i);
                DoubleVector x2r = a0r.sub(a2r);
                DoubleVector x2i = a0i.sub(a2i);
                DoubleVector x1r = a1r.add(a3r);
                DoubleVector x1i = a1i.add(a3i);
                DoubleVector x3r = a1i.sub(a3i);
                DoubleVector x3i = a3r.sub(a1r);
                // multiply
                DoubleVector f = DoubleVector.fromArray(SPECIES, factors, f0 + l);
                a0r = x0r.add(x1r).mul(f);
                a0i = x0i.add(x1i).mul(f);
                f = DoubleVector.fromArray(SPECIES, factors, f0 + LANES + l);
                a1r = x0r.sub(x1r).mul(f);
                a1i = x0i.sub(x1i).mul(f);
                f = DoubleVector.fromArray(SPECIES, factors, f0 + 2 * LANES + l);
                a2r = x2r.add(x3r).mul(f);
                a2i = x2i.add(x3i).mul(f);
                f = DoubleVector.fromArray(SPECIES, factors, f0 + 3 * LANES + l);
                a3r = x2r.sub(x3r).mul(f);
                a3i = x2i.sub(x3i).mul(f);
                // inverseFirstTwo
                x0r = a0r.add(a1r);
                x0i = a0i.add(a1i);
                x1r = a0r.sub(a1r);
                x1i = a0i.sub(a1i);
                x2r = a2r.add(a3r);
                x2i = a2i.add(a3i);
                x3r = a2r.sub(a3r);
                x3i = a2i.sub(a3i);
                x0r.add(x2r).intoArray(re, k);
                x0i.add(x2i).intoArray(im, k);
                x0r.sub(x2r).intoArray(re, k + 2 * LANES);
                x0i.sub(x2i).intoArray(im, k + 2 * LANES);
                x1r.sub(x3i).intoArray(re, k + LANES);
                x1i.add(x3r).intoArray(im, k + LANES);
                x1r.add(x3i).intoArray(re, k + 3 * LANES);
                x1i.sub(x3r).intoArray(im, k + 3 * LANES);
            }
        }
    }

    @Override
    void productOne(double[] re, double[] im, int row0, int length, double[] factors, int factorRow) {
        for (int group = row0; group < row0 + length; group += 2) {
            int r0 = group * LANES;
            int f0 = (factorRow + group - row0) * LANES;
            for (int l = 0; l < LANES; l += STEP) {
                int k = r0 + l;
                DoubleVector ar = DoubleVector.fromArray(SPECIES, re, k);
                DoubleVector ai = DoubleVector.fromArray(SPECIES, im, k);
                DoubleVector br = DoubleVector.fromArray(SPECIES, re, k + LANES);
                DoubleVector bi = DoubleVector.fromArray(SPECIES, im, k + LANES);
                DoubleVector fa = DoubleVector.fromArray(SPECIES, factors, f0 + l);
                DoubleVector fb = DoubleVector.fromArray(SPECIES, factors, f0 + LANES + l);
                DoubleVector sr = ar.add(br).mul(fa);
                DoubleVector si = ai.add(bi).mul(fa);
                DoubleVector dr = ar.sub(br).mul(fb);
                DoubleVector di = ai.sub(bi).mul(fb);
                sr.add(dr).intoArray(re, k);
                si.add(di).intoArray(im, k);
                sr.sub(dr).intoArray(re, k + LANES);
                si.sub(di).intoArray(im, k + LANES);
            }
        }
    }

    @Override
    void forwardLast(double[] re, double[] im, int row0, int length) {
        inverseFirst(re, im, row0, length);
    }

    @Override
    void inverseFirstTwo(double[] re, double[] im, int row0, int length) {
        for (int group = row0; group < row0 + length; group += 4) {
            int r0 = group * LANES;
            for (int l = r0; l < r0 + LANES; l += STEP) {
                DoubleVector a0r = DoubleVector.fromArray(SPECIES, re, l);
                DoubleVector a0i = DoubleVector.fromArray(SPECIES, im, l);
                DoubleVector a1r = DoubleVector.fromArray(SPECIES, re, l + LANES);
                DoubleVector a1i = DoubleVector.fromArray(SPECIES, im, l + LANES);
                DoubleVector a2r = DoubleVector.fromArray(SPECIES, re, l + 2 * LANES);
                DoubleVector a2i = DoubleVector.fromArray(SPECIES, im, l + 2 * LANES);
                DoubleVector a3r = DoubleVector.fromArray(SPECIES, re, l + 3 * LANES);
                DoubleVector a3i = DoubleVector.fromArray(SPECIES, im, l + 3 * LANES);
                DoubleVector x0r = a0r.add(a1r);
                DoubleVector x0i = a0i.add(a1i);
                DoubleVector x1r = a0r.sub(a1r);
                DoubleVector x1i = a0i.sub(a1i);
                DoubleVector x2r = a2r.add(a3r);
                DoubleVector x2i = a2i.add(a3i);
                DoubleVector x3r = a2r.sub(a3r);
                DoubleVector x3i = a2i.sub(a3i);
                x0r.add(x2r).intoArray(re, l);
                x0i.add(x2i).intoArray(im, l);
                x0r.sub(x2r).intoArray(re, l + 2 * LANES);
                x0i.sub(x2i).intoArray(im, l + 2 * LANES);
                x1r.sub(x3i).intoArray(re, l + LANES);
                x1i.add(x3r).intoArray(im, l + LANES);
                x1r.add(x3i).intoArray(re, l + 3 * LANES);
                x1i.sub(x3r).intoArray(im, l + 3 * LANES);
            }
        }
    }

    @Override
    void inverseFirst(double[] re, double[] im, int row0, int length) {
        for (int group = row0; group < row0 + length; group += 2) {
            int r0 = group * LANES;
            for (int l = r0; l < r0 + LANES; l += STEP) {
                DoubleVector ar = DoubleVector.fromArray(SPECIES, re, l);
                DoubleVector ai = DoubleVector.fromArray(SPECIES, im, l);
                DoubleVector br = DoubleVector.fromArray(SPECIES, re, l + LANES);
                DoubleVector bi = DoubleVector.fromArray(SPECIES, im, l + LANES);
                ar.add(br).intoArray(re, l);
                ai.add(bi).intoArray(im, l);
                ar.sub(br).intoArray(re, l + LANES);
                ai.sub(bi).intoArray(im, l + LANES);
            }
        }
    }

    @Override
    void splitFirst(double[] re, double[] im, int row0, int inputRows) {
        for (int j = 0; j < inputRows; j++) {
            DoubleVector c = DoubleVector.broadcast(SPECIES, cos[j]);
            DoubleVector s = DoubleVector.broadcast(SPECIES, sin[j]);
            int a = (row0 + j) * LANES;
            int b = (row0 + j + half) * LANES;
            for (int l = 0; l < LANES; l += STEP) {
                DoubleVector xr = DoubleVector.fromArray(SPECIES, re, a + l);
                DoubleVector xi = DoubleVector.fromArray(SPECIES, im, a + l);
                xr.mul(c).add(xi.mul(s)).intoArray(re, b + l);
                xi.mul(c).sub(xr.mul(s)).intoArray(im, b + l);
            }
        }
        for (int j = inputRows; j < half; j++) {
            java.util.Arrays.fill(re, (row0 + j) * LANES, (row0 + j + 1) * LANES, 0);
            java.util.Arrays.fill(im, (row0 + j) * LANES, (row0 + j + 1) * LANES, 0);
            java.util.Arrays.fill(re, (row0 + j + half) * LANES, (row0 + j + half + 1) * LANES, 0);
            java.util.Arrays.fill(im, (row0 + j + half) * LANES, (row0 + j + half + 1) * LANES, 0);
        }
    }

    @Override
    void joinLast(double[] re, double[] im, int row0, int outputRows) {
        for (int j = 0; j < outputRows; j++) {
            DoubleVector c = DoubleVector.broadcast(SPECIES, cos[j]);
            DoubleVector s = DoubleVector.broadcast(SPECIES, sin[j]);
            int a = (row0 + j) * LANES;
            int b = (row0 + j + half) * LANES;
            for (int l = 0; l < LANES; l += STEP) {
                DoubleVector br = DoubleVector.fromArray(SPECIES, re, b + l);
                DoubleVector bi = DoubleVector.fromArray(SPECIES, im, b + l);
                DoubleVector ar = DoubleVector.fromArray(SPECIES, re, a + l);
                DoubleVector ai = DoubleVector.fromArray(SPECIES, im, a + l);
                ar.add(br.mul(c).sub(bi.mul(s))).intoArray(re, a + l);
                ai.add(bi.mul(c).add(br.mul(s))).intoArray(im, a + l);
            }
        }
    }

    @Override
    void kernelRow(double[] re, double[] im, int row, double[] dx2, double dy2) {
        DoubleVector one = DoubleVector.broadcast(SPECIES, 1);
        DoubleVector dy = DoubleVector.broadcast(SPECIES, dy2);
        for (int l = 0; l < LANES; l += STEP) {
            DoubleVector wRe = one.div(one.add(DoubleVector.fromArray(SPECIES, dx2, l).add(dy)));
            DoubleVector wIm = one.div(one.add(DoubleVector.fromArray(SPECIES, dx2, LANES + l).add(dy)));
            wRe.mul(wRe).intoArray(re, row * LANES + l);
            wIm.mul(wIm).intoArray(im, row * LANES + l);
        }
    }

    @Override
    void multiply(double[] re, double[] im, int row0, int rows, double[] factors, int factorRow0) {
        for (int p = 0; p < rows; p++) {
            int row = (row0 + p) * LANES;
            int f = (factorRow0 + p) * LANES;
            for (int l = 0; l < LANES; l += STEP) {
                DoubleVector factor = DoubleVector.fromArray(SPECIES, factors, f + l);
                DoubleVector.fromArray(SPECIES, re, row + l).mul(factor).intoArray(re, row + l);
                DoubleVector.fromArray(SPECIES, im, row + l).mul(factor).intoArray(im, row + l);
            }
        }
    }
}
