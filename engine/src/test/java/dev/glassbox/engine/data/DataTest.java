package dev.glassbox.engine.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataTest {
    @TempDir Path dir;

    /** An unsigned-byte IDX file of the given shape with values 0, 1, 2, ... (mod 256). */
    private static byte[] idx(int... shape) {
        int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + size);
        b.putInt(0x0800 | shape.length);
        for (int d : shape) {
            b.putInt(d);
        }
        for (int i = 0; i < size; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new GZIPOutputStream(out)) {
            z.write(raw);
        }
        return out.toByteArray();
    }

    @Test
    void readsRawAndGzipIdxAlike() throws IOException {
        Path raw = Files.write(dir.resolve("a-images-idx3-ubyte"), idx(2, 3, 3));
        Path gz = Files.write(dir.resolve("b-images-idx3-ubyte.gz"), gzip(idx(2, 3, 3)));
        Idx.Array a = Idx.read(raw);
        Idx.Array b = Idx.read(gz);
        assertArrayEquals(new int[] {2, 3, 3}, a.shape());
        assertArrayEquals(a.data(), b.data());
        assertEquals(17, a.data()[17]);
    }

    @Test
    void truncatedAndForeignFilesAreNamedInTheError() throws IOException {
        byte[] full = idx(2, 3, 3);
        Path cut = Files.write(dir.resolve("cut-idx3"), Arrays.copyOf(full, full.length - 4));
        IOException e = assertThrows(IOException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().contains("cut-idx3") && e.getMessage().contains("truncated"), e.getMessage());
        Path text = Files.writeString(dir.resolve("notes.txt"), "hello, not an IDX file");
        IOException f = assertThrows(IOException.class, () -> Idx.read(text));
        assertTrue(f.getMessage().contains("notes.txt"), f.getMessage());
    }

    @Test
    void cutOrCorruptGzipAndEmptyPromisesAreNamedInTheError() throws IOException {
        byte[] gz = gzip(idx(2, 3, 3));
        // the gzip header is read when the stream is opened: a cut one used to escape as a bare EOFException
        Path header = Files.write(dir.resolve("header-idx3.gz"), Arrays.copyOf(gz, 6));
        IOException e = assertThrows(IOException.class, () -> Idx.read(header));
        assertTrue(e.getMessage().contains("header-idx3.gz"), e.getMessage());
        byte[] corrupt = gz.clone();
        for (int i = 10; i < corrupt.length - 8; i++) {
            corrupt[i] = (byte) 0xff;                           // the deflate blocks
        }
        Path bad = Files.write(dir.resolve("bad-idx3.gz"), corrupt);
        IOException f = assertThrows(IOException.class, () -> Idx.read(bad));
        assertTrue(f.getMessage().contains("bad-idx3.gz") && f.getMessage().contains("corrupt"), f.getMessage());
        // 46,000 × 46,000 bytes promised by a 16-byte file: refused as truncated, not by allocating 2 GB first
        byte[] promise = java.nio.ByteBuffer.allocate(16).putInt(0x803).putInt(1).putInt(46_000).putInt(46_000)
                .array();
        Path lying = Files.write(dir.resolve("lying-idx3"), promise);
        IOException g = assertThrows(IOException.class, () -> Idx.read(lying));
        assertTrue(g.getMessage().contains("lying-idx3") && g.getMessage().contains("truncated"), g.getMessage());
    }

    @Test
    void loadsAnImagesAndLabelsPairAsPixelsInZeroOne() throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(idx(4, 2, 2)));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(4)));
        Dataset d = Mnist.loadDirectory(dir, "train");
        assertArrayEquals(new int[] {4, 1, 2, 2}, d.inputs().shape());
        assertEquals(5 / 255f, d.inputs().data()[5]);
        assertArrayEquals(new int[] {0, 1, 2, 3}, d.labels());
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(idx(3)));
        assertThrows(IOException.class, () -> Mnist.loadDirectory(dir, "train"));
    }

    @Test
    void shippedDigitsAreTenThousandWithTheFixedSplit() {
        assertEquals(10_000, Mnist.shipped().size());
        assertEquals(8_000, Mnist.train().size());
        assertEquals(2_000, Mnist.test().size());
        assertArrayEquals(new int[] {1, 1, 28, 28}, Mnist.test().first(1).inputs().shape());
        int[] counts = new int[10];
        for (int label : Mnist.shipped().labels()) {
            counts[label]++;
        }
        for (int c : counts) {
            assertTrue(c > 800, "a digit class has only " + c + " examples");
        }
    }

    @Test
    void shuffledOrdersArePermutationsThatRepeatPerSeedAndEpoch() {
        int[] a = Batches.order(100, true, 7, 0);
        assertArrayEquals(a, Batches.order(100, true, 7, 0));
        assertNotEquals(Arrays.toString(a), Arrays.toString(Batches.order(100, true, 7, 1)));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(Batches.order(100, false, 0, 0), sorted);
        List<int[]> batches = Batches.split(a, 30);
        assertEquals(4, batches.size());
        assertEquals(10, batches.get(3).length);
    }

    @Test
    void fashionMnistFromDebianWhenInstalled() {
        assumeTrue(FashionMnist.isInstalled(), "dataset-fashion-mnist is not installed");
        Dataset test = FashionMnist.test();
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {10_000, 1, 28, 28}, test.inputs().shape());
        assertEquals(60_000, FashionMnist.train().size());
    }
}
