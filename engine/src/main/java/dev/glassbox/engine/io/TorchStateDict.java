package dev.glassbox.engine.io;

import dev.glassbox.engine.io.RestrictedUnpickler.StorageType;
import dev.glassbox.engine.io.RestrictedUnpickler.TensorRef;
import dev.glassbox.engine.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Reads a PyTorch {@code state_dict} saved with {@code torch.save} in either of its two formats, through a
 * {@link RestrictedUnpickler} that never runs pickled code.
 * <ul>
 * <li><b>zip</b> (PyTorch ≥ 1.6): {@code <archive>/data.pkl} holds the dict; each tensor's storage is a
 *     persistent id {@code ('storage', FloatStorage, key, location, numel)} whose raw little-endian bytes are the
 *     entry {@code <archive>/data/<key>}.</li>
 * <li><b>legacy</b>: a sequence of pickles (magic number, protocol version, sys_info, the dict, the list of
 *     storage keys) followed by each storage's raw bytes in that list's order, each prefixed by its element count
 *     as an 8-byte little-endian integer. Persistent ids are
 *     {@code ('storage', FloatStorage, key, location, numel, view_metadata)}.</li>
 * </ul>
 * Values come back as float32 tensors (double, half, bfloat16 and integer storages converted), in the dict's
 * order. A training checkpoint that keeps the state_dict beside other entries (epoch, optimizer state, numbers)
 * is read for the state_dict under its conventional key ({@link #CHECKPOINT_KEYS}). Every declared size is
 * checked against the bytes actually present before anything is allocated.
 */
public final class TorchStateDict {
    /** Python's {@code torch.serialization.MAGIC_NUMBER}, the first pickle of a legacy file. */
    private static final java.math.BigInteger LEGACY_MAGIC = new java.math.BigInteger("1950a86a20f9469cfc6c", 16);

    private TorchStateDict() {}

    /** Reads every tensor of the state_dict in {@code file}, by key. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 4) {
            throw new ModelFileException(file, "too short for a PyTorch file (" + size + " bytes)");
        }
        return KerasArchive.isZip(file) ? readZip(file, size) : readLegacy(file, size);
    }

    private static Map<String, Tensor> readZip(Path file, long size) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = ZipEntries.first(zip, e -> e.getName().endsWith("data.pkl")
                    && e.getName().indexOf('/') == e.getName().lastIndexOf('/'), file);
            if (pickle == null) {
                throw new ModelFileException(file, "a zip without <archive>/data.pkl: not a PyTorch checkpoint");
            }
            String prefix = pickle.getName().substring(0, pickle.getName().length() - "data.pkl".length());
            ZipEntry byteOrder = ZipEntries.get(zip, prefix + "byteorder", file);
            if (byteOrder != null && !new String(entry(zip, byteOrder, file, 16), StandardCharsets.US_ASCII)
                    .trim().equals("little")) {
                throw new ModelFileException(file, "big-endian checkpoints are not supported");
            }
            Map<String, byte[]> storages = new HashMap<>();
            Object root = new RestrictedUnpickler(file, pickle.getName(),
                    new ByteArrayInputStream(entry(zip, pickle, file, size)), pid -> {
                        String key = storageKey(pid, file);
                        ZipEntry data = ZipEntries.get(zip, prefix + "data/" + key, file);
                        if (data == null) {
                            throw new WeightImportException(file, prefix + "data/" + key, "storage missing");
                        }
                        byte[] raw = storages.computeIfAbsent(key, k -> uncheckedEntry(zip, data, file, size));
                        return new Storage(key, (StorageType) pid[1], raw, raw.length / ((StorageType) pid[1])
                                .elementSize());
                    }).next();
            return tensors(root, file);
        } catch (java.io.UncheckedIOException e) {
            throw new ModelFileException(file, "corrupt zip archive (" + KerasWeights.describe(e.getCause()) + ")", e);
        } catch (IOException e) {
            throw new ModelFileException(file, "corrupt zip archive (" + KerasWeights.describe(e) + ")", e);
        }
    }

    private static Map<String, Tensor> readLegacy(Path file, long size) throws IOException {
        if (size > Integer.MAX_VALUE - 8) {
            throw new ModelFileException(file, "legacy checkpoints over 2 GB are not supported");
        }
        byte[] all = Files.readAllBytes(file);
        ByteArrayInputStream in = new ByteArrayInputStream(all);
        Map<String, Storage> storages = new LinkedHashMap<>();
        RestrictedUnpickler unpickler = new RestrictedUnpickler(file, "legacy header", in, pid -> {
            String key = storageKey(pid, file);
            return storages.computeIfAbsent(key, k -> new Storage(k, (StorageType) pid[1], null, -1));
        });
        Object magic = unpickler.next();
        // the magic number needs 77 bits, so the unpickler gives it as a BigInteger; anything else (a float, say) is
        // a foreign file
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new ModelFileException(file, "not a PyTorch checkpoint (neither a zip nor the legacy magic"
                    + " number)");
        }
        unpickler.next();                                                      // protocol version
        unpickler.next();                                                      // sys_info
        Object root = unpickler.next();
        Object keys = unpickler.next();
        if (!(keys instanceof List<?> keyList)) {
            throw new ModelFileException(file, "legacy checkpoint: the storage key list is missing");
        }
        ByteBuffer buffer = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int position = all.length - in.available();
        for (Object k : keyList) {
            Storage storage = storages.get(String.valueOf(k));
            if (storage == null || position + 8 > all.length) {
                throw new WeightImportException(file, "storage " + k, "listed but not referenced, or the file"
                        + " ends before it (truncated)");
            }
            long count = buffer.getLong(position);
            position += 8;
            if (count < 0 || count > (all.length - position) / storage.type().elementSize()) {
                throw new WeightImportException(file, "storage " + k, "declares " + count + " elements but only "
                        + (all.length - position) + " bytes are left (truncated or corrupt)");
            }
            int bytes = (int) count * storage.type().elementSize();
            byte[] raw = java.util.Arrays.copyOfRange(all, position, position + bytes);
            position += bytes;
            storages.put(storage.key(), new Storage(storage.key(), storage.type(), raw, count));
        }
        return tensors(root, file, storages);
    }

    /** A storage: its type and raw little-endian bytes (null until read, in the legacy format). */
    private record Storage(String key, StorageType type, byte[] raw, long count) {}

    private static String storageKey(Object[] pid, Path file) {
        if (pid.length < 5 || !"storage".equals(pid[0]) || !(pid[1] instanceof StorageType)) {
            throw new ModelFileException(file, "unexpected persistent id " + java.util.Arrays.toString(pid)
                    + "; expected ('storage', <type>, key, location, numel)");
        }
        return String.valueOf(pid[2]);
    }

    private static Map<String, Tensor> tensors(Object root, Path file) {
        return tensors(root, file, Map.of());
    }

    /**
     * Where training scripts keep the model's state_dict inside a checkpoint dict
     * ({@code {"epoch": 3, "state_dict": ..., "optimizer": ...}}).
     */
    static final List<String> CHECKPOINT_KEYS = List.of("state_dict", "model_state_dict", "model", "net",
            "network", "state");

    /** The dict's tensors; legacy storages are looked up again, now that their bytes have been read. */
    private static Map<String, Tensor> tensors(Object root, Path file, Map<String, Storage> storages) {
        Map<?, ?> dict = stateDict(root, file);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : dict.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!(e.getValue() instanceof TensorRef ref) || !(ref.storage() instanceof Storage s)) {
                throw new WeightImportException(file, key, "is not a tensor; a state_dict maps names to tensors"
                        + " (for a whole pickled model, save model.state_dict() instead)");
            }
            Storage storage = storages.getOrDefault(s.key(), s);
            tensors.put(key, tensor(file, key, ref, storage));
        }
        return tensors;
    }

    /**
     * The state_dict: the root itself when it maps names to tensors, or else the one entry under
     * {@link #CHECKPOINT_KEYS} that does (several such entries are refused, not chosen between).
     */
    private static Map<?, ?> stateDict(Object root, Path file) {
        if (!(root instanceof Map<?, ?> dict)) {
            throw new ModelFileException(file, "the checkpoint holds a " + (root == null ? "None"
                    : root.getClass().getSimpleName()) + ", not a state_dict (a dict of tensors)");
        }
        if (allTensors(dict)) {
            return dict;
        }
        List<String> found = new ArrayList<>();
        for (String key : CHECKPOINT_KEYS) {
            if (dict.get(key) instanceof Map<?, ?> inner && !inner.isEmpty() && allTensors(inner)) {
                found.add(key);
            }
        }
        if (found.size() == 1) {
            return (Map<?, ?>) dict.get(found.get(0));
        }
        List<String> keys = dict.keySet().stream().map(String::valueOf).toList();
        if (found.size() > 1) {
            throw new ModelFileException(file, "the checkpoint holds several state_dicts, under " + found
                    + "; save the one to import alone (torch.save(checkpoint['...'], file))");
        }
        String notTensor = keys.stream().filter(k -> !(dict.get(k) instanceof TensorRef)).findFirst().orElse("");
        throw new WeightImportException(file, notTensor, "is not a tensor; a state_dict maps names to tensors,"
                + " and this checkpoint (keys " + keys + ") holds none under " + String.join(", ", CHECKPOINT_KEYS)
                + " (for a whole pickled model, save model.state_dict() instead)");
    }

    private static boolean allTensors(Map<?, ?> dict) {
        return dict.values().stream().allMatch(v -> v instanceof TensorRef ref && ref.storage() instanceof Storage);
    }

    private static Tensor tensor(Path file, String key, TensorRef ref, Storage storage) {
        int[] shape = ref.size();
        long count = 1;
        long last = ref.offset();
        for (int i = 0; i < shape.length; i++) {
            count = Math.multiplyExact(count, shape[i]);
            if (shape[i] > 0) {
                last += (shape[i] - 1) * ref.stride()[i];
            }
        }
        long available = storage.raw() == null ? 0 : storage.raw().length / storage.type().elementSize();
        if (count > 0 && (ref.offset() < 0 || last >= available || last < 0)) {
            throw new WeightImportException(file, key, "shape " + java.util.Arrays.toString(shape) + " at offset "
                    + ref.offset() + " reaches element " + last + " of a storage of " + available);
        }
        float[] values = new float[(int) count];
        ByteBuffer raw = ByteBuffer.wrap(storage.raw() == null ? new byte[0] : storage.raw())
                .order(ByteOrder.LITTLE_ENDIAN);
        int[] index = new int[shape.length];
        for (int n = 0; n < values.length; n++) {
            long at = ref.offset();
            for (int i = 0; i < shape.length; i++) {
                at += index[i] * ref.stride()[i];
            }
            values[n] = element(raw, storage.type(), (int) at);
            for (int i = shape.length - 1; i >= 0 && ++index[i] == shape[i]; i--) {
                index[i] = 0;
            }
        }
        return new Tensor(values, shape);
    }

    private static float element(ByteBuffer raw, StorageType type, int i) {
        return switch (type.name()) {
            case "FloatStorage" -> raw.getFloat(i * 4);
            case "DoubleStorage" -> (float) raw.getDouble(i * 8);
            case "HalfStorage" -> halfToFloat(raw.getShort(i * 2));
            case "BFloat16Storage" -> Float.intBitsToFloat(raw.getShort(i * 2) << 16);
            case "LongStorage" -> raw.getLong(i * 8);
            case "IntStorage" -> raw.getInt(i * 4);
            case "ShortStorage" -> raw.getShort(i * 2);
            case "CharStorage" -> raw.get(i);
            default -> raw.get(i) & 0xff;                                      // Byte, Bool
        };
    }

    /** IEEE half precision to float: sign, 5-bit exponent (bias 15), 10-bit fraction. */
    static float halfToFloat(short bits) {
        int sign = (bits >> 15) & 1, exponent = (bits >> 10) & 0x1f, fraction = bits & 0x3ff;
        float magnitude = exponent == 0 ? fraction * 0x1p-24f
                : exponent == 31 ? (fraction == 0 ? Float.POSITIVE_INFINITY : Float.NaN)
                : Float.intBitsToFloat((exponent + 112) << 23 | fraction << 13);
        return sign == 1 ? -magnitude : magnitude;
    }

    private static byte[] uncheckedEntry(ZipFile zip, ZipEntry entry, Path file, long archiveSize) {
        try {
            return entry(zip, entry, file, archiveSize);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** An entry's bytes, refusing more than the archive can hold (entries are stored, not compressed). */
    private static byte[] entry(ZipFile zip, ZipEntry entry, Path file, long cap) throws IOException {
        if (entry.getSize() > cap || entry.getSize() > Integer.MAX_VALUE - 8) {
            throw new WeightImportException(file, entry.getName(), "declares " + entry.getSize()
                    + " bytes, more than the archive's " + cap);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 8));
            if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
                throw new WeightImportException(file, entry.getName(), "holds " + bytes.length
                        + " bytes but declares " + entry.getSize());
            }
            return bytes;
        }
    }
}
