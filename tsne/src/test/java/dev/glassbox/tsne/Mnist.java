package dev.glassbox.tsne;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads gzipped IDX digits for tests and the report (the module does not depend on the engine, whose reader
 * is the full one); pixels scaled to [0, 1]. By default the shipped MNIST digits; {@link #fashion} reads
 * Debian's {@code dataset-fashion-mnist} (60,000 train then 10,000 test images).
 */
final class Mnist {

    static final Path DIR = Path.of("../engine/src/main/resources/dev/glassbox/engine/data");
    static final Path FASHION_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private Mnist() {
    }

    /** The first {@code n} shipped images as rows of 784 pixels / 255. */
    static float[][] images(int n) throws IOException {
        return images(DIR.resolve("mnist10k-images-idx3-ubyte.gz"), n);
    }

    /** The first {@code n} shipped labels. */
    static int[] labels(int n) throws IOException {
        return labels(DIR.resolve("mnist10k-labels-idx1-ubyte.gz"), n);
    }

    /** Fashion-MNIST's 70,000 images (train, then test), or null when the Debian package is not installed. */
    static float[][] fashionImages() throws IOException {
        if (!Files.isDirectory(FASHION_DIR)) {
            return null;
        }
        float[][] train = images(FASHION_DIR.resolve("train-images-idx3-ubyte.gz"), Integer.MAX_VALUE);
        float[][] test = images(FASHION_DIR.resolve("t10k-images-idx3-ubyte.gz"), Integer.MAX_VALUE);
        float[][] all = Arrays.copyOf(train, train.length + test.length);
        System.arraycopy(test, 0, all, train.length, test.length);
        return all;
    }

    /** Fashion-MNIST's 70,000 labels in the order of {@link #fashionImages}. */
    static int[] fashionLabels() throws IOException {
        int[] train = labels(FASHION_DIR.resolve("train-labels-idx1-ubyte.gz"), Integer.MAX_VALUE);
        int[] test = labels(FASHION_DIR.resolve("t10k-labels-idx1-ubyte.gz"), Integer.MAX_VALUE);
        int[] all = Arrays.copyOf(train, train.length + test.length);
        System.arraycopy(test, 0, all, train.length, test.length);
        return all;
    }

    private static float[][] images(Path file, int n) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException(file + ": not an IDX image file: magic " + Integer.toHexString(magic));
            }
            int count = in.readInt();
            int pixels = in.readInt() * in.readInt();
            float[][] out = new float[Math.min(n, count)][pixels];
            byte[] row = new byte[pixels];
            for (float[] image : out) {
                in.readFully(row);
                for (int p = 0; p < pixels; p++) {
                    image[p] = (row[p] & 0xff) / 255f;
                }
            }
            return out;
        }
    }

    private static int[] labels(Path file, int n) throws IOException {
        try (DataInputStream in = open(file)) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new IOException(file + ": not an IDX label file: magic " + Integer.toHexString(magic));
            }
            int[] out = new int[Math.min(n, in.readInt())];
            for (int i = 0; i < out.length; i++) {
                out[i] = in.readUnsignedByte();
            }
            return out;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    }
}
