package dev.glassbox.engine.io;

import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format: the magic {@code \x93NUMPY}, a version (1.0: 2-byte header length; 2.0/3.0:
 * 4-byte), a Python-literal header {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded to a
 * multiple of 64 bytes, then the raw data. Writes version 1.0, little-endian float32, C order. Reads float32,
 * float64 and uint8 (also int32/int64/big-endian), converted to float32; Fortran order is transposed back.
 * Declared sizes are checked against the file before anything is allocated.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Writes a tensor as a version-1.0 little-endian float32 C-order array, atomically. */
    public static void write(Path file, Tensor tensor) throws IOException {
        StringBuilder shape = new StringBuilder();
        for (int d : tensor.shape()) {
            shape.append(d).append(", ");
        }
        String dims = tensor.rank() == 1 ? shape.toString().trim() : shape.length() == 0 ? ""
                : shape.substring(0, shape.length() - 2);
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String paddedHeader = header + " ".repeat(padding) + "\n";
        AtomicFile.write(file, out -> {
            out.write(MAGIC);
            out.write(new byte[] {1, 0});
            byte[] headerBytes = paddedHeader.getBytes(StandardCharsets.US_ASCII);
            out.write(new byte[] {(byte) headerBytes.length, (byte) (headerBytes.length >> 8)});
            out.write(headerBytes);
            AtomicFile.writeFloats(out, tensor.data());
        });
    }

    /** Reads an array as float32, in C order, with its shape; errors name the file and the problem. */
    public static Tensor read(Path file) throws IOException {
        long fileSize = Files.size(file);
        if (fileSize < MAGIC.length + 4) {
            throw new ModelFileException(file, "too short for a .npy file (" + fileSize + " bytes)");
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new ModelFileException(file, "not a .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = bytes[6];
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buffer.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (fileSize < 12) {                        // the header length of versions 2 and 3 takes 4 bytes
                throw new ModelFileException(file, "too short for a version " + major + " .npy file (" + fileSize
                        + " bytes)");
            }
            headerLength = buffer.getInt(8) & 0xffffffffL;
            headerStart = 12;
        } else {
            throw new ModelFileException(file, ".npy version " + major + " is not supported (1, 2 or 3)");
        }
        if (headerStart + headerLength > fileSize) {
            throw new ModelFileException(file, "header of " + headerLength + " bytes runs past the end of the file");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shapeMatch = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shapeMatch.find()) {
            throw new ModelFileException(file, "malformed header: " + header.trim());
        }
        int[] shape = parseShape(file, shapeMatch.group(1));
        int count;
        try {
            count = Shapes.size(shape);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, e.getMessage(), e);
        }
        ByteOrder order = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String kind = descr.group(2) + descr.group(3);
        if (!kind.matches("f4|f8|u1|i1|i4|i8|b1")) {         // before the width is read: it may be any digits
            throw new ModelFileException(file, "dtype '" + descr.group(0) + "' is not supported; use float32, float64,"
                    + " uint8, int8, int32, int64 or bool");
        }
        int width = Integer.parseInt(descr.group(3));
        long dataStart = headerStart + headerLength;
        if (dataStart + (long) count * width > fileSize) {
            throw new ModelFileException(file, "shape " + Shapes.toString(shape) + " of " + kind + " needs "
                    + (long) count * width + " data bytes but the file holds " + (fileSize - dataStart)
                    + " (truncated?)");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, count * width).slice().order(order);
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = switch (kind) {
                case "f4" -> data.getFloat(4 * i);
                case "f8" -> (float) data.getDouble(8 * i);
                case "u1", "b1" -> data.get(i) & 0xff;
                case "i1" -> data.get(i);
                case "i4" -> data.getInt(4 * i);
                default -> data.getLong(8 * i);
            };
        }
        Tensor t = new Tensor(values, shape);
        if (fortran.group(1).equals("True") && shape.length > 1) {
            // Fortran order stores the first index fastest: read it as the reversed shape, then reverse the axes.
            int[] reversed = new int[shape.length];
            int[] order2 = new int[shape.length];
            for (int d = 0; d < shape.length; d++) {
                reversed[d] = shape[shape.length - 1 - d];
                order2[d] = shape.length - 1 - d;
            }
            t = new Tensor(values, reversed).permute(order2);
        }
        return t;
    }

    private static int[] parseShape(Path file, String text) {
        String[] parts = text.split(",");
        int n = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) {
            String s = p.trim();
            if (s.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new ModelFileException(file, "invalid dimension " + s + " in the shape (" + text + ")");
                }
                shape[n++] = (int) d;
            } catch (NumberFormatException e) {
                throw new ModelFileException(file, "invalid dimension '" + s + "' in the shape (" + text + ")");
            }
        }
        return java.util.Arrays.copyOf(shape, n);
    }
}
