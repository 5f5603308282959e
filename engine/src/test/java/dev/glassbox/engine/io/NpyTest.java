package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.tensor.Tensor;
import dev.glassbox.engine.tensor.Tensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
    @TempDir Path dir;

    /** A version-1.0 file with the given header dictionary and raw data. */
    private static byte[] npy(String dict, byte[] data) {
        String header = dict + " ".repeat((64 - (10 + dict.length() + 1) % 64) % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        b.put(data);
        return b.array();
    }

    @Test
    void writeThenReadKeepsShapeAndValuesAndPadsTheHeaderTo64() throws Exception {
        Tensor t = Tensors.arange(24).reshape(2, 3, 4);
        Path f = dir.resolve("a.npy");
        Npy.write(f, t);
        assertEquals(0, (Files.size(f) - 4 * 24) % 64);
        Tensor back = Npy.read(f);
        assertArrayEquals(t.shape(), back.shape());
        assertArrayEquals(t.data(), back.data());
        Npy.write(f, Tensors.vector(1f, 2f));
        assertArrayEquals(new int[] {2}, Npy.read(f).shape());
        Npy.write(f, Tensors.scalar(5f));
        assertEquals(0, Npy.read(f).rank());
    }

    @Test
    void readsFloat64Uint8AndFortranOrder() throws Exception {
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(-2);
        Path f64 = Files.write(dir.resolve("d.npy"), npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                d.array()));
        assertArrayEquals(new float[] {1.5f, -2f}, Npy.read(f64).data());
        Path u8 = Files.write(dir.resolve("u.npy"), npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                new byte[] {0, (byte) 200, (byte) 255}));
        assertArrayEquals(new float[] {0f, 200f, 255f}, Npy.read(u8).data());
        // Fortran order [[1,2,3],[4,5,6]] is stored column by column: 1 4 2 5 3 6
        ByteBuffer f = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : new float[] {1, 4, 2, 5, 3, 6}) {
            f.putFloat(v);
        }
        Path fortran = Files.write(dir.resolve("f.npy"), npy(
                "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", f.array()));
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, Npy.read(fortran).data());
    }

    @Test
    void truncatedAndLyingFilesFailWithTheFileName() throws Exception {
        Path f = dir.resolve("t.npy");
        Npy.write(f, Tensors.arange(100));
        byte[] bytes = Files.readAllBytes(f);
        Path cut = Files.write(dir.resolve("cut.npy"), Arrays.copyOf(bytes, bytes.length - 1));
        ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.read(cut));
        assertTrue(e.getMessage().contains("cut.npy") && e.getMessage().contains("truncated"), e.getMessage());
        Path huge = Files.write(dir.resolve("huge.npy"), npy(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (100000, 100000), }", new byte[0]));
        assertThrows(ModelFileException.class, () -> Npy.read(huge));
        Path object = Files.write(dir.resolve("o.npy"), npy("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }",
                new byte[8]));
        assertThrows(ModelFileException.class, () -> Npy.read(object));
        Path junk = Files.writeString(dir.resolve("j.npy"), "not numpy at all");
        assertThrows(ModelFileException.class, () -> Npy.read(junk));
    }

    /** Two inputs the coverage-guided fuzzer found (ReaderFuzzTest): each threw an unnamed runtime exception. */
    @Test
    void cutVersion3HeaderAndHugeDtypeWidthAreFileErrors() throws Exception {
        // version 3 keeps the header length in 4 bytes at offset 8; this file ends after 3 of them
        Path cut = Files.write(dir.resolve("v3.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 3, 0, 1, 0, 0});
        ModelFileException e = assertThrows(ModelFileException.class, () -> Npy.read(cut));
        assertTrue(e.getMessage().contains("v3.npy") && e.getMessage().contains("too short"), e.getMessage());
        Path wide = Files.write(dir.resolve("wide.npy"), npy(
                "{'descr': '<f33333333333334', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        ModelFileException f = assertThrows(ModelFileException.class, () -> Npy.read(wide));
        assertTrue(f.getMessage().contains("wide.npy") && f.getMessage().contains("not supported"), f.getMessage());
    }
}
