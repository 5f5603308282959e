package dev.glassbox.engine.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * A pickle reader that builds only what a PyTorch {@code state_dict} needs and refuses everything else, so a
 * hostile {@code .pt} file cannot run code or make arbitrary objects.
 *
 * <h2>Why restricted</h2>
 * A pickle is a small program: {@code GLOBAL module name} names any importable callable and {@code REDUCE} calls
 * it (Python's {@code torch.load} without {@code weights_only} will run {@code os.system} if asked). Pyrolite's
 * own {@link Unpickler} resolves globals through one static registry shared by the whole JVM and turns unknown
 * classes into generic objects. Here every global is resolved from this unpickler's allow-list:
 * <ul>
 * <li>{@code collections.OrderedDict}: the state_dict itself (its {@code _metadata}, set by {@code BUILD}, is
 *     accepted and dropped);</li>
 * <li>{@code torch._utils._rebuild_tensor_v2} / {@code _rebuild_tensor}: a tensor as (storage, offset, size,
 *     stride), returned as a {@link TensorRef};</li>
 * <li>{@code torch._utils._rebuild_parameter}: an {@code nn.Parameter}, unwrapped to its tensor;</li>
 * <li>{@code torch.FloatStorage}, {@code torch.DoubleStorage}, ... : storage types, only ever seen inside the
 *     persistent ids that point at the raw data (resolved by the caller's {@code persistentLoad}).</li>
 * </ul>
 * Any other global, and the opcodes that instantiate classes by name ({@code INST}, {@code OBJ}) or through the
 * extension registry ({@code EXT1/2/4}), throw. Length-prefixed opcodes are checked against the bytes left before
 * anything is allocated.
 */
public final class RestrictedUnpickler extends Unpickler {
    /** A tensor as pickled: where its values live in a storage and how they are laid out. */
    record TensorRef(Object storage, long offset, int[] size, long[] stride) {}

    /** A storage type such as {@code FloatStorage}; {@link #elementSize} bytes per element. */
    record StorageType(String name, int elementSize) {}

    /**
     * The OrderedDict of a state_dict; {@code BUILD} hands it the {@code _metadata} we do not need. Public (as is
     * this class) only because Pyrolite calls {@code __setstate__} by reflection.
     */
    public static final class StateDict extends LinkedHashMap<Object, Object> {
        private static final long serialVersionUID = 1L;

        public void __setstate__(HashMap<?, ?> state) {
            // _metadata (per-module versions) carries no weights
        }
    }

    private static final Map<String, Integer> STORAGES = Map.ofEntries(Map.entry("FloatStorage", 4),
            Map.entry("DoubleStorage", 8), Map.entry("HalfStorage", 2), Map.entry("BFloat16Storage", 2),
            Map.entry("LongStorage", 8), Map.entry("IntStorage", 4), Map.entry("ShortStorage", 2),
            Map.entry("CharStorage", 1), Map.entry("ByteStorage", 1), Map.entry("BoolStorage", 1));

    private final Path file;
    private final String where;
    private final ByteArrayInputStream bytes;
    private final Function<Object[], Object> persistentLoader;

    /**
     * @param where the entry or section being read, for errors
     * @param persistentLoader turns a persistent id tuple into the object it stands for (a storage)
     */
    RestrictedUnpickler(Path file, String where, ByteArrayInputStream bytes,
            Function<Object[], Object> persistentLoader) {
        this.file = file;
        this.where = where;
        this.bytes = bytes;
        this.persistentLoader = persistentLoader;
    }

    /** Reads the next pickle from the stream (which is left just after its STOP). */
    Object next() {
        try {
            return load(bytes);
        } catch (ModelFileException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new ModelFileException(file, where + ": not a readable pickle (" + KerasWeights.describe(e) + ")",
                    e);
        }
    }

    @Override
    protected Object dispatch(short opcode) throws PickleException, IOException {
        switch (opcode) {
            case 0x63 -> {                                                     // GLOBAL module\nname\n
                String module = PickleUtils.readline(input);
                String name = PickleUtils.readline(input);
                stack.add(resolve(module, name));
                return NO_RETURN_VALUE;
            }
            case 0x93 -> {                                                     // STACK_GLOBAL
                Object name = stack.pop();
                Object module = stack.pop();
                stack.add(resolve(String.valueOf(module), String.valueOf(name)));
                return NO_RETURN_VALUE;
            }
            case 0x69, 0x6f, 0x82, 0x83, 0x84 -> throw refuse("opcode 0x" + Integer.toHexString(opcode)
                    + " (instantiates classes by name)");
            case 0x58, 0x42, 0x54, 0x8b -> checkLength(4);                     // BINUNICODE, BINBYTES, BINSTRING, LONG4
            case 0x8d, 0x8e, 0x96, 0x95 -> checkLength(8);                     // ...8 variants, FRAME
            default -> { }
        }
        return super.dispatch(opcode);
    }

    @Override
    protected Object persistentLoad(Object pid) {
        if (!(pid instanceof Object[] tuple)) {
            throw refuse("persistent id " + pid + " is not a tuple");
        }
        return persistentLoader.apply(tuple);
    }

    /** Refuses a declared length larger than what is left of the input (before Pyrolite allocates it). */
    private void checkLength(int width) {
        bytes.mark(16);
        long length = 0;
        for (int i = 0; i < width; i++) {
            int b = bytes.read();
            if (b < 0) {
                throw new ModelFileException(file, where + ": pickle truncated inside a length field");
            }
            length |= (long) b << (8 * i);
        }
        int left = bytes.available();
        bytes.reset();
        if (length < 0 || length > left) {
            throw new ModelFileException(file, where + ": pickle declares " + length + " bytes but only " + left
                    + " are left (truncated or corrupt)");
        }
    }

    private Object resolve(String module, String name) {
        String qualified = module + "." + name;
        if (qualified.equals("collections.OrderedDict")) {
            return (IObjectConstructor) args -> new StateDict();
        }
        if (qualified.equals("torch._utils._rebuild_tensor_v2") || qualified.equals("torch._utils._rebuild_tensor")) {
            return (IObjectConstructor) this::tensor;
        }
        if (qualified.equals("torch._utils._rebuild_parameter")) {
            return (IObjectConstructor) args -> args.length > 0 ? args[0] : null;
        }
        if (module.equals("torch") && STORAGES.containsKey(name)) {
            return new StorageType(name, STORAGES.get(name));
        }
        throw refuse("global " + qualified);
    }

    /** _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private Object tensor(Object[] args) {
        if (args.length < 4 || !(args[2] instanceof Object[] size) || !(args[3] instanceof Object[] stride)
                || size.length != stride.length || !(args[1] instanceof Number offset)) {
            throw refuse("a tensor with malformed arguments");
        }
        int[] dims = new int[size.length];
        long[] strides = new long[size.length];
        for (int i = 0; i < dims.length; i++) {
            long d = ((Number) size[i]).longValue();
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw refuse("a tensor dimension " + d);
            }
            dims[i] = (int) d;
            strides[i] = ((Number) stride[i]).longValue();
        }
        return new TensorRef(args[0], offset.longValue(), dims, strides);
    }

    private ModelFileException refuse(String what) {
        return new ModelFileException(file, where + ": refusing " + what + "; a state_dict holds only an"
                + " OrderedDict of tensors (this reader never runs pickled code)");
    }
}
