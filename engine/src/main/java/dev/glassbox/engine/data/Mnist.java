package dev.glassbox.engine.data;

import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST-style digit sets. The project ships 10,000 real MNIST digits ({@link #shipped()}); the fixed split is the
 * first 8,000 for training and the last 2,000 for testing. Pixels become floats in [0, 1] (value / 255), images
 * are [n, 1, 28, 28].
 */
public final class Mnist {
    /** The first {@value} shipped digits train; the rest test. */
    public static final int TRAIN_SIZE = 8000;
    /** torchvision's MNIST normalisation constants (mean and std of the 60,000 training pixels). */
    public static final float TORCH_MEAN = 0.1307f;
    public static final float TORCH_STD = 0.3081f;

    private static final String IMAGES = "mnist10k-images-idx3-ubyte.gz";
    private static final String LABELS = "mnist10k-labels-idx1-ubyte.gz";
    private static volatile Dataset shipped;

    private Mnist() {}

    /** The 10,000 shipped digits, loaded once from the engine's resources. */
    public static Dataset shipped() {
        if (shipped == null) {
            synchronized (Mnist.class) {
                if (shipped == null) {
                    try (InputStream images = resource(IMAGES); InputStream labels = resource(LABELS)) {
                        shipped = combine(Idx.read(images, IMAGES), Idx.read(labels, LABELS), "shipped MNIST");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
        }
        return shipped;
    }

    /** The first 8,000 shipped digits. */
    public static Dataset train() {
        return shipped().range(0, TRAIN_SIZE);
    }

    /** The last 2,000 shipped digits. */
    public static Dataset test() {
        return shipped().range(TRAIN_SIZE, shipped().size());
    }

    /** Reads an images file and a labels file in IDX format (gzip or raw), e.g. Fashion-MNIST's. */
    public static Dataset load(Path images, Path labels) throws IOException {
        return combine(Idx.read(images), Idx.read(labels), images + " + " + labels);
    }

    /**
     * Loads {@code DIR} holding an MNIST-style pair: the files whose names contain {@code images} and
     * {@code labels} (and, when several pairs are present, {@code prefix}: e.g. "train" or "t10k").
     */
    public static Dataset loadDirectory(Path dir, String prefix) throws IOException {
        Path images = find(dir, prefix, "images");
        Path labels = find(dir, prefix, "labels");
        return load(images, labels);
    }

    private static Path find(Path dir, String prefix, String kind) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + " is not a directory");
        }
        try (var files = Files.list(dir)) {
            var matches = files.filter(p -> {
                String n = p.getFileName().toString();
                return n.contains(kind) && (prefix == null || n.startsWith(prefix));
            }).sorted().toList();
            if (matches.size() != 1) {
                throw new IOException(dir + ": expected exactly one " + kind + " IDX file"
                        + (prefix == null ? "" : " starting with '" + prefix + "'") + ", found " + matches);
            }
            return matches.get(0);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Mnist.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " is missing from the engine jar");
        }
        return in;
    }

    private static Dataset combine(Idx.Array images, Idx.Array labels, String source) throws IOException {
        if (images.shape().length != 3 || labels.shape().length != 1) {
            throw new IOException(source + ": expected images [n, rows, cols] and labels [n], got "
                    + java.util.Arrays.toString(images.shape()) + " and " + java.util.Arrays.toString(labels.shape()));
        }
        int n = images.shape()[0];
        if (labels.shape()[0] != n) {
            throw new IOException(source + ": " + n + " images but " + labels.shape()[0] + " labels");
        }
        byte[] pixels = images.data();
        float[] values = new float[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            values[i] = (pixels[i] & 0xff) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.data()[i] & 0xff;
        }
        return new Dataset(new Tensor(values, n, 1, images.shape()[1], images.shape()[2]), y);
    }
}
