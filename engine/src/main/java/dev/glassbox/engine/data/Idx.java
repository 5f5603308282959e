package dev.glassbox.engine.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader of the IDX format that MNIST and Fashion-MNIST ship in (LeCun's format): a magic number whose third byte
 * is the element type (0x08 = unsigned byte) and whose fourth is the rank, then each dimension as a big-endian
 * int, then the data in row-major order. Gzip-compressed files are recognised by their own magic bytes.
 */
public final class Idx {
    private static final int UNSIGNED_BYTE = 0x08;

    /** The dimensions and the raw unsigned bytes (as Java bytes; read with {@code & 0xff}). */
    public record Array(int[] shape, byte[] data) {}

    private Idx() {}

    public static Array read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * @param source names the input in error messages
     */
    public static Array read(InputStream raw, String source) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(raw);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        try {
            // the gzip header is read here already: inside the try, so a cut or corrupt one names the file too
            InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            DataInputStream data = new DataInputStream(in);
            int magic = data.readInt();
            int type = (magic >> 8) & 0xff;
            int rank = magic & 0xff;
            if ((magic >>> 16) != 0 || type != UNSIGNED_BYTE || rank < 1 || rank > 4) {
                throw new IOException(source + ": not an unsigned-byte IDX file (magic 0x"
                        + Integer.toHexString(magic) + "; expected 0x00000801 .. 0x00000804)");
            }
            int[] shape = new int[rank];
            long size = 1;
            for (int d = 0; d < rank; d++) {
                shape[d] = data.readInt();
                if (shape[d] < 0) {
                    throw new IOException(source + ": negative dimension " + shape[d] + " in the IDX header");
                }
                size *= shape[d];
                if (size > Integer.MAX_VALUE - 8) {
                    throw new IOException(source + ": IDX array of at least " + size + " elements is too large");
                }
            }
            // readNBytes grows its buffer as data arrives: a short file that promises gigabytes fails as truncated
            // without first allocating them
            byte[] values = data.readNBytes((int) size);
            if (values.length < size) {
                throw new EOFException();
            }
            return new Array(shape, values);
        } catch (EOFException e) {
            throw new IOException(source + ": truncated IDX file (the header promises more data than it holds)", e);
        } catch (ZipException e) {                      // the gzip layer's: a bad header, deflate data or trailer
            throw new IOException(source + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
    }
}
