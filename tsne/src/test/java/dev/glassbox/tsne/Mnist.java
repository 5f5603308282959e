package dev.glassbox.tsne;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads the shipped MNIST digits (gzipped IDX files) for tests and the report; pixels scaled to [0, 1]. */
final class Mnist {

    static final Path DIR = Path.of("../engine/src/main/resources/dev/glassbox/engine/data");

    private Mnist() {
    }

    /** The first {@code n} images as rows of 784 pixels / 255. */
    static float[][] images(int n) throws IOException {
        try (DataInputStream in = open("mnist10k-images-idx3-ubyte.gz")) {
            int magic = in.readInt();
            if (magic != 0x803) {
                throw new IOException("not an IDX image file: magic " + Integer.toHexString(magic));
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

    /** The first {@code n} labels. */
    static int[] labels(int n) throws IOException {
        try (DataInputStream in = open("mnist10k-labels-idx1-ubyte.gz")) {
            int magic = in.readInt();
            if (magic != 0x801) {
                throw new IOException("not an IDX label file: magic " + Integer.toHexString(magic));
            }
            int[] out = new int[Math.min(n, in.readInt())];
            for (int i = 0; i < out.length; i++) {
                out[i] = in.readUnsignedByte();
            }
            return out;
        }
    }

    private static DataInputStream open(String name) throws IOException {
        InputStream raw = Files.newInputStream(DIR.resolve(name));
        return new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(raw, 1 << 16)));
    }
}
