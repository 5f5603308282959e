package dev.glassbox.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glassbox.engine.tensor.Shapes;
import dev.glassbox.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face), so that Python reads Glassbox weights with {@code safetensors} or a few
 * lines of numpy: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}}}, padded
 * with spaces), then the raw little-endian tensor bytes. Writes are atomic (a temporary file renamed into place),
 * and reads check every offset and size against the file before trusting it.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    /** Larger headers are refused: a corrupt length must not make us allocate gigabytes. */
    private static final long MAX_HEADER = 100L << 20;

    /** Tensors by name in file order, and the free-form string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

    private SafeTensors() {}

    /** Writes float32 tensors (in map order) and string metadata to {@code file}, atomically. */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", "F32");
            var shape = entry.putArray("shape");
            for (int d : e.getValue().shape()) {
                shape.add(d);
            }
            long size = 4L * e.getValue().size();
            entry.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        int padded = (headerBytes.length + 7) / 8 * 8;
        AtomicFile.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            out.write(" ".repeat(padded - headerBytes.length).getBytes(StandardCharsets.US_ASCII));
            for (Tensor t : tensors.values()) {
                AtomicFile.writeFloats(out, t.data());
            }
        });
    }

    /** Reads every tensor (F32, or F64/F16/BF16/I64/I32 converted to float32) and the metadata. */
    public static Contents read(Path file) throws IOException {
        long fileSize = Files.size(file);
        if (fileSize < 8) {
            throw new ModelFileException(file, "too short for a safetensors file (" + fileSize + " bytes)");
        }
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buffer.getLong(0);
        if (headerLength < 2 || headerLength > MAX_HEADER || 8 + headerLength > fileSize) {
            throw new ModelFileException(file, "header length " + headerLength + " does not fit the file of "
                    + fileSize + " bytes (truncated or not safetensors)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            throw new ModelFileException(file, "header is not valid JSON: " + e.getMessage(), e);
        }
        long dataStart = 8 + headerLength;
        long dataSize = fileSize - dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals(METADATA)) {
                e.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), readTensor(file, e.getKey(), e.getValue(), buffer, dataStart, dataSize));
        }
        return new Contents(tensors, metadata);
    }

    private static Tensor readTensor(Path file, String name, JsonNode entry, ByteBuffer buffer, long dataStart,
            long dataSize) {
        String dtype = entry.path("dtype").asText("");
        JsonNode shapeNode = entry.path("shape");
        JsonNode offsets = entry.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new ModelFileException(file, "tensor '" + name + "' lacks a shape or data_offsets");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = shapeNode.get(i).asLong(-1);
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new ModelFileException(file, "tensor '" + name + "' has an invalid dimension "
                        + shapeNode.get(i));
            }
            shape[i] = (int) d;
        }
        int count;
        try {
            count = Shapes.size(shape);
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "tensor '" + name + "': " + e.getMessage(), e);
        }
        int width = switch (dtype) {
            case "F32", "I32" -> 4;
            case "F64", "I64" -> 8;
            case "F16", "BF16" -> 2;
            default -> throw new ModelFileException(file, "tensor '" + name + "' has dtype '" + dtype
                    + "'; supported: F32, F64, F16, BF16, I32, I64");
        };
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw new ModelFileException(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the " + dataSize + " data bytes (file truncated?)");
        }
        if (end - begin != (long) count * width) {
            throw new ModelFileException(file,
                    "tensor '" + name + "' of shape " + Shapes.toString(shape) + " and dtype "
                    + dtype + " needs " + (long) count * width + " bytes but its offsets span " + (end - begin));
        }
        float[] values = new float[count];
        int base = (int) (dataStart + begin);
        for (int i = 0; i < count; i++) {
            int at = base + i * width;
            values[i] = switch (dtype) {
                case "F32" -> buffer.getFloat(at);
                case "F64" -> (float) buffer.getDouble(at);
                case "I32" -> buffer.getInt(at);
                case "I64" -> buffer.getLong(at);
                case "BF16" -> Float.intBitsToFloat((buffer.getShort(at) & 0xffff) << 16);
                default -> halfToFloat(buffer.getShort(at));
            };
        }
        return new Tensor(values, shape);
    }

    /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h >>> 15) << 31;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {                       // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {                          // zero or subnormal: mantissa · 2^-24
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
