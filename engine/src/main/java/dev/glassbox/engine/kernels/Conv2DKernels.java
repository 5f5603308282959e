package dev.glassbox.engine.kernels;

/**
 * Convolution as GEMMs over im2col columns of several images at once. One image of a small CNN gives narrow
 * products (conv2 of the seed CNN: an 8x8 output, 64 columns), which no GEMM runs fast, so images are lowered side
 * by side until the column matrix is {@link #TARGET_COLUMNS} wide (and within {@link #MAX_COLUMN_FLOATS}; at least
 * one image): the products become [O/G, K]·[K, m·P] for a chunk of m images, per group g. Shapes and layouts:
 * x [N, C, H, W]; w [O, C/G, kh, kw] = G row blocks [O/G, K] with K = C/G·kh·kw; y [N, O, outH, outW];
 * P = outH·outW. The GEMM's output is channel-major ([O/G, m·P]); copying it to image-major y is O(output), small
 * beside the GEMM.
 *
 * <p>A shallow window (at most {@link VectorDirectConv#MAX_TAPS} channels × kernel positions, stride 1, no
 * padding: conv1 of the seed CNN, K = 25) is convolved directly when the Vector API is there, forward and weight
 * gradient: a GEMM with so short an inner dimension spends its time lowering, packing and storing tiles. The
 * forward gives the im2col GEMM's bits exactly.
 */
public final class Conv2DKernels {
    /**
     * Output positions per GEMM worth gathering: narrower products waste a blocked GEMM's register tiles, and much
     * wider ones gain little while a simple loop GEMM starts missing the cache on its strided rows.
     */
    public static final int TARGET_COLUMNS = 512;
    /** Column-buffer budget per chunk: 4M floats (16 MB). */
    public static final int MAX_COLUMN_FLOATS = 1 << 22;

    /** The sizes of one convolution, and how many images each GEMM takes ({@code chunk}). */
    public record Shape(int batch, int channels, int outChannels, int groups, Window2D window, int chunk) {
        /** The shape whose chunk reaches {@link #TARGET_COLUMNS} within {@link #MAX_COLUMN_FLOATS}. */
        public static Shape of(int batch, int channels, int outChannels, int groups, Window2D window) {
            int plane = Math.max(1, window.outputPlane());
            long perImage = (long) channels / groups * window.kernelArea() * plane;
            long wanted = Math.min((TARGET_COLUMNS + plane - 1) / plane, MAX_COLUMN_FLOATS / Math.max(1, perImage));
            int chunk = (int) Math.max(1, Math.min(batch, wanted));
            return new Shape(batch, channels, outChannels, groups, window, chunk);
        }

        int inPerGroup() { return channels / groups; }
        int outPerGroup() { return outChannels / groups; }
        int k() { return inPerGroup() * window.kernelArea(); }
        int plane() { return window.outputPlane(); }
        int xOffset(int image, int g) { return (image * channels + g * inPerGroup()) * window.inputPlane(); }
        int yOffset(int image, int g) { return (image * outChannels + g * outPerGroup()) * plane(); }
    }

    private Conv2DKernels() {}

    /** Whether shallow windows are convolved directly ({@link VectorDirectConv}): the JVM has the Vector API. */
    private static final boolean DIRECT = Blas.vectorApiAvailable();

    /** The number of image chunks of a batch. */
    private static int chunks(Shape s) {
        return (s.batch() + s.chunk() - 1) / s.chunk();
    }

    /**
     * y = w · im2col(x), per group. Chunks of images are independent, so threads take fixed ranges of chunks
     * (each with its own buffers): the result is the same for any thread count.
     * @param x (not modified) @param w (not modified) @param y (modified)
     */
    public static void forward(Shape s, float[] x, float[] w, float[] y) {
        forward(s, x, w, y, null);
    }

    /**
     * {@link #forward(Shape, float[], float[], float[])} that also hands back the im2col columns of every chunk and
     * group (in {@code keptColumns[chunk * groups + g]}, an array of {@link #columnSlots} entries), so the weight
     * gradient can reuse them instead of lowering the input a second time: lowering costs as much as the GEMM for
     * narrow outputs (conv2 of the seed CNN copies 8-value rows). Null keeps nothing.
     */
    public static void forward(Shape s, float[] x, float[] w, float[] y, float[][] keptColumns) {
        if (DIRECT && VectorDirectConv.serves(s)) {         // a shallow window: no columns (backward lowers x)
            Parallel.forRange(s.batch(), 1, (from, to) -> VectorDirectConv.forward(s, x, w, y, from, to));
            return;
        }
        int k = s.k(), og = s.outPerGroup();
        Parallel.forRange(chunks(s), 1, (from, to) -> {
            Scratch buffers = SCRATCH.get();
            float[] scratch = keptColumns == null ? buffers.columns.atLeast(k * s.chunk() * s.plane()) : null;
            float[] out = buffers.products.atLeast(og * s.chunk() * s.plane());
            for (int c = from; c < to; c++) {
                int n0 = c * s.chunk();
                int count = Math.min(s.chunk(), s.batch() - n0), width = count * s.plane();
                for (int g = 0; g < s.groups(); g++) {
                    float[] cols = scratch != null ? scratch
                            : (keptColumns[c * s.groups() + g] = KEPT.take(k * width));
                    lower(s, x, n0, count, g, cols);
                    Blas.get().sgemm(false, false, og, width, k, 1f, w, g * og * k, k, cols, 0, width,
                            0f, out, 0, width);                               // [O/G, K]·[K, m·P]
                    moveBlocks(s, out, y, n0, count, g, true);
                }
            }
        });
    }

    /**
     * dL/dx = col2im(wᵀ · dL/dy) and dL/dw = Σ dL/dy · im2col(x)ᵀ, per group; either output may be null (not
     * wanted). Chunks run in parallel over fixed ranges; each chunk's share of dL/dw goes to a buffer of its own,
     * and the shares are added to dL/dw in chunk order afterwards, so the sum is the same for any thread count.
     * @param gradX (modified) accumulated into @param gradW (modified) accumulated into
     */
    public static void backward(Shape s, float[] x, float[] w, float[] gradOutput, float[] gradX, float[] gradW) {
        backward(s, x, w, gradOutput, gradX, gradW, null);
    }

    /**
     * Hands back the columns a forward kept, once the backward that used them is done (the caller must hold no
     * other reference to them): the next forward of the same shape takes them instead of allocating and zeroing
     * megabytes per step (8 MB for conv2 of the seed CNN at batch 64).
     */
    public static void recycleColumns(float[][] keptColumns) {
        for (float[] columns : keptColumns) {
            if (columns != null) {
                KEPT.give(columns);
            }
        }
    }

    /** Each thread's column and product buffers for one chunk, reused from call to call (fully overwritten). */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        final GrowingBuffer columns = new GrowingBuffer();
        final GrowingBuffer products = new GrowingBuffer();
    }

    /** Kept columns handed back, by length; at most {@link ColumnPool#MAX_FLOATS} floats are held. */
    private static final ColumnPool KEPT = new ColumnPool();

    private static final class ColumnPool {
        /** 128 MB, or a sixteenth of the heap if that is less: idle buffers must never crowd out live data. */
        static final long MAX_FLOATS = Math.min(32L << 20, Runtime.getRuntime().maxMemory() / 16 / Float.BYTES);
        private final java.util.Map<Integer, java.util.ArrayDeque<float[]>> free = new java.util.HashMap<>();
        private long floats;

        /** A buffer of exactly {@code length} floats, contents unspecified (im2col overwrites all of it). */
        synchronized float[] take(int length) {
            java.util.ArrayDeque<float[]> same = free.get(length);
            if (same == null || same.isEmpty()) {
                return new float[length];
            }
            floats -= length;
            return same.pop();
        }

        synchronized void give(float[] buffer) {
            if (floats + buffer.length <= MAX_FLOATS) {
                free.computeIfAbsent(buffer.length, l -> new java.util.ArrayDeque<>()).push(buffer);
                floats += buffer.length;
            }
        }
    }

    /** The number of column buffers {@link #forward(Shape, float[], float[], float[], float[][])} keeps. */
    public static int columnSlots(Shape s) {
        return chunks(s) * s.groups();
    }

    /**
     * {@link #backward(Shape, float[], float[], float[], float[], float[])} with the columns forward kept (or null
     * to lower {@code x} again); the result is the same either way, bit for bit.
     */
    public static void backward(Shape s, float[] x, float[] w, float[] gradOutput, float[] gradX, float[] gradW,
                                float[][] keptColumns) {
        if (gradW != null && DIRECT && VectorDirectConv.serves(s)) {   // as forward: no columns for a shallow window
            VectorDirectConv.weightGradient(s, x, gradOutput, gradW);
            if (gradX != null) {
                backward(s, x, w, gradOutput, gradX, null, null);
            }
            return;
        }
        int k = s.k(), og = s.outPerGroup();
        int chunks = chunks(s);
        float[][] shares = gradW == null ? null : new float[chunks][];
        Parallel.forRange(chunks, 1, (from, to) -> {
            Scratch buffers = SCRATCH.get();
            float[] cols = buffers.columns.atLeast(k * s.chunk() * s.plane());
            float[] gy = buffers.products.atLeast(og * s.chunk() * s.plane());
            for (int c = from; c < to; c++) {
                int n0 = c * s.chunk();
                int count = Math.min(s.chunk(), s.batch() - n0), width = count * s.plane();
                float[] share = gradW == null ? null : KEPT.take(gradW.length);   // every group overwrites its part
                for (int g = 0; g < s.groups(); g++) {
                    moveBlocks(s, gy, gradOutput, n0, count, g, false);     // dL/dy of the chunk, [O/G, m·P]
                    if (share != null) {                                    // [O/G, m·P]·[m·P, K]
                        float[] lowered = keptColumns != null ? keptColumns[c * s.groups() + g] : null;
                        if (lowered == null) {                              // not kept, or convolved directly
                            lower(s, x, n0, count, g, cols);
                            lowered = cols;
                        }
                        Blas.get().sgemm(false, true, og, k, width, 1f, gy, 0, width, lowered, 0, width,
                                0f, share, g * og * k, k);
                    }
                    if (gradX != null) {                                    // [K, O/G]·[O/G, m·P]
                        Blas.get().sgemm(true, false, k, width, og, 1f, w, g * og * k, k, gy, 0, width,
                                0f, cols, 0, width);
                        for (int i = 0; i < count; i++) {
                            Im2Col.col2im(cols, i * s.plane(), width, s.inPerGroup(), s.window(), gradX,
                                    s.xOffset(n0 + i, g));
                        }
                    }
                }
                if (share != null) {
                    shares[c] = share;
                }
            }
        });
        if (shares != null) {
            for (float[] share : shares) {
                for (int i = 0; i < gradW.length; i++) {
                    gradW[i] += share[i];
                }
                KEPT.give(share);
            }
        }
    }

    /**
     * y[n, c, :, :] += bias[c] over feature maps of {@code plane} values, one map after another (no division per
     * element). @param y (modified) [N, C, plane] @param bias (not modified) [C]
     */
    public static void addBias(float[] y, float[] bias, int plane) {
        Elementwise.addBias(y, bias, plane);
    }

    /**
     * dL/db[c] = the sum of dL/dy over images and positions of channel c.
     * @param gradOutput (not modified) [N, C, plane] @param gradBias (modified) [C], zeroed by the caller
     */
    public static void biasGradient(float[] gradOutput, int plane, float[] gradBias) {
        int maps = plane == 0 ? 0 : gradOutput.length / plane;
        float[] mapSums = SCRATCH.get().products.atLeast(maps);   // the calling thread's, idle between products
        Elementwise.mapSums(gradOutput, plane, mapSums);
        for (int map = 0; map < maps; map++) {                    // images in order: a fixed summation order
            gradBias[map % gradBias.length] += mapSums[map];
        }
    }

    /** im2col of images [n0, n0 + count), group g, side by side. */
    private static void lower(Shape s, float[] x, int n0, int count, int g, float[] cols) {
        for (int i = 0; i < count; i++) {
            Im2Col.im2col(x, s.xOffset(n0 + i, g), s.inPerGroup(), s.window(), cols, i * s.plane(), count * s.plane());
        }
    }

    /** Copies group g's planes between channel-major [O/G, m·P] and image-major y, one way or the other. */
    private static void moveBlocks(Shape s, float[] channelMajor, float[] imageMajor, int n0, int count, int g,
            boolean toImageMajor) {
        int p = s.plane(), width = count * p;
        for (int oc = 0; oc < s.outPerGroup(); oc++) {
            for (int i = 0; i < count; i++) {
                int a = oc * width + i * p, b = s.yOffset(n0 + i, g) + oc * p;
                if (toImageMajor) {
                    System.arraycopy(channelMajor, a, imageMajor, b, p);
                } else {
                    System.arraycopy(imageMajor, b, channelMajor, a, p);
                }
            }
        }
    }
}
