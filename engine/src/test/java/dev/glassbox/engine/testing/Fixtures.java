package dev.glassbox.engine.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.glassbox.engine.tensor.Tensor;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Reads the PyTorch/Keras reference fixtures in {@code shared/fixtures} (see its README for layouts and the
 * tolerance rule). Every value a test compares with, and every input it feeds, comes from the file: nothing is
 * hard-coded, so the same tests pass on fixtures generated with other seeds.
 */
public final class Fixtures implements AutoCloseable {
    /** The fixtures README's rule: |actual - expected| ≤ 1e-4 · max(1, max|expected|), max over the dataset. */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    private final HdfFile file;
    private final Path path;

    private Fixtures(Path path) {
        this.path = path;
        this.file = new HdfFile(path);
    }

    /** Opens {@code shared/fixtures/NAME}. */
    public static Fixtures open(String name) {
        return new Fixtures(fixture(name));
    }

    /** The shared folder: {@code -Dglassbox.shared}, else a {@code shared} folder beside or above the working dir. */
    public static Path sharedDir() {
        String property = System.getProperty("glassbox.shared");
        if (property != null && Files.isDirectory(Paths.get(property, "fixtures"))) {
            return Paths.get(property).toAbsolutePath().normalize();
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/fixtures"))) {
                return p.resolve("shared").normalize();
            }
        }
        throw new IllegalStateException("reference fixtures not found: set -Dglassbox.shared=DIR (the folder holding"
                + " fixtures/ and data/), or place the shared folder beside the repository; glassbox.shared="
                + property);
    }

    public static Path fixture(String name) {
        Path p = sharedDir().resolve("fixtures").resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException("fixture file missing: " + p);
        }
        return p;
    }

    public boolean has(String datasetPath) {
        try {
            file.getByPath(datasetPath);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    public Node node(String nodePath) {
        return nodePath.isEmpty() || nodePath.equals("/") ? file : file.getByPath(nodePath);
    }

    /** A float32/float64/integer dataset as a float tensor of the dataset's shape (a scalar has shape []). */
    public Tensor tensor(String datasetPath) {
        Dataset ds = dataset(datasetPath);
        Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        float[] values = toFloats(flat, datasetPath);
        return new Tensor(values, ds.isScalar() ? new int[0] : ds.getDimensions());
    }

    /** An integer dataset as longs (flattened). */
    public long[] longs(String datasetPath) {
        Dataset ds = dataset(datasetPath);
        Object flat = ds.isScalar() ? ds.getData() : ds.getDataFlat();
        if (flat instanceof long[] l) {
            return l;
        }
        if (flat instanceof Long l) {
            return new long[] {l};
        }
        if (flat instanceof int[] ints) {
            return Arrays.stream(ints).asLongStream().toArray();
        }
        throw new IllegalStateException(path + ":" + datasetPath + " is not an integer dataset: " + flat.getClass());
    }

    public double scalar(String datasetPath) {
        Tensor t = tensor(datasetPath);
        if (t.size() != 1) {
            throw new IllegalStateException(path + ":" + datasetPath + " is not a scalar");
        }
        return t.data()[0];
    }

    /** An attribute's value (strings, numbers, arrays as jhdf returns them). */
    public Object attribute(String nodePath, String name) {
        Node node = nodePath.isEmpty() || nodePath.equals("/") ? file : file.getByPath(nodePath);
        Attribute attribute = node.getAttribute(name);
        if (attribute == null) {
            throw new IllegalStateException(path + ":" + nodePath + " has no attribute " + name);
        }
        return attribute.getData();
    }

    private Dataset dataset(String datasetPath) {
        Node node = file.getByPath(datasetPath);
        if (!(node instanceof Dataset ds)) {
            throw new IllegalStateException(path + ":" + datasetPath + " is not a dataset");
        }
        return ds;
    }

    private float[] toFloats(Object flat, String datasetPath) {
        if (flat instanceof float[] f) {
            return f;
        }
        if (flat instanceof double[] d) {
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        if (flat instanceof long[] l) {
            float[] out = new float[l.length];
            for (int i = 0; i < l.length; i++) {
                out[i] = l[i];
            }
            return out;
        }
        if (flat instanceof int[] ints) {
            float[] out = new float[ints.length];
            for (int i = 0; i < ints.length; i++) {
                out[i] = ints[i];
            }
            return out;
        }
        if (flat instanceof byte[] b) {
            float[] out = new float[b.length];
            for (int i = 0; i < b.length; i++) {
                out[i] = b[i] & 0xff;
            }
            return out;
        }
        if (flat instanceof Float f) {
            return new float[] {f};
        }
        if (flat instanceof Double d) {
            return new float[] {d.floatValue()};
        }
        if (flat instanceof Long l) {
            return new float[] {l};
        }
        throw new IllegalStateException(path + ":" + datasetPath + " has unsupported type " + flat.getClass());
    }

    /**
     * Asserts the README's rule: same shape, and every |actual - expected| ≤ 1e-4 · max(1, max|expected|).
     * A failure names the dataset, the worst element and both values.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, RELATIVE_TOLERANCE);
    }

    public static void assertClose(String what, Tensor expected, Tensor actual, double relativeTolerance) {
        assertArrayEquals(expected.shape(), actual.shape(), () -> what + ": shape "
                + Arrays.toString(actual.shape()) + " differs from the reference " + Arrays.toString(expected.shape()));
        float[] e = expected.data();
        float[] a = actual.data();
        double scale = 1;
        for (float v : e) {
            scale = Math.max(scale, Math.abs(v));
        }
        double allowed = relativeTolerance * scale;
        int worst = -1;
        double worstDiff = -1;
        for (int i = 0; i < e.length; i++) {
            double diff = Math.abs((double) a[i] - e[i]);
            if (Double.isNaN(diff) || Double.isInfinite(a[i]) != Double.isInfinite(e[i])) {
                diff = Double.POSITIVE_INFINITY;
            } else if (Double.isInfinite(e[i]) && a[i] == e[i]) {
                diff = 0;
            }
            if (diff > worstDiff) {
                worstDiff = diff;
                worst = i;
            }
        }
        if (worstDiff > allowed) {
            fail(String.format("%s: element %d is %.9g, the reference is %.9g (|diff| %.3g > allowed %.3g)", what,
                    worst, a[worst], e[worst], worstDiff, allowed));
        }
    }

    /** Asserts bit-for-bit equality (the README's exact datasets: selections, masks, integer data). */
    public static void assertExact(String what, Tensor expected, Tensor actual) {
        assertClose(what, expected, actual, 0);
    }

    @Override
    public void close() {
        file.close();
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
