package dev.glassbox.engine.io;

import dev.glassbox.engine.io.KerasConfig.LayerSpec;
import dev.glassbox.engine.nn.Model;
import io.jhdf.HdfFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Keras 3's {@code .keras} archive: a zip holding {@code config.json} (the architecture), {@code metadata.json}
 * and {@code model.weights.h5}. The weights file is opened in memory ({@code HdfFile.fromBytes}); its groups are
 * named after the layers' classes, not their names ({@link KerasWeights#fromKeras3}), and hold the variables in
 * the order the layer creates them, so roles come from the layer's class and config ({@link #roles}: Dense:
 * kernel, bias; BatchNormalization: gamma, beta, moving_mean, moving_variance, without gamma when {@code scale}
 * is false and without beta when {@code center} is false).
 *
 * <p>Every entry is read with a size cap, the smaller of its declared size and what the archive can hold, so a
 * forged size cannot make the reader allocate more than the file justifies.
 */
final class KerasArchive {
    /** An entry cannot inflate beyond this multiple of the archive (zip bombs); real weights barely compress. */
    private static final long MAX_INFLATION = 20;

    private KerasArchive() {}

    static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return head.length == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        }
    }

    static Model load(Path file) throws IOException {
        long size = Files.size(file);
        byte[] configBytes;
        byte[] weightBytes;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            configBytes = read(zip, "config.json", file, size);
            weightBytes = read(zip, "model.weights.h5", file, size);
        } catch (IOException e) {
            throw new ModelFileException(file, "corrupt zip archive (" + KerasWeights.describe(e) + ")", e);
        }
        KerasConfig config = KerasConfig.parse(JsonText.decode(configBytes, file, "config.json"), file);
        HdfFile hdf;
        try {
            hdf = HdfFile.fromBytes(weightBytes);
        } catch (RuntimeException e) {
            throw new ModelFileException(file, "model.weights.h5 is not a readable HDF5 file ("
                    + KerasWeights.describe(e) + ")", e);
        }
        try (hdf) {
            return KerasImporter.build(config, c -> KerasWeights.fromKeras3(hdf, file, weightBytes.length, c),
                    false, file);
        }
    }

    /**
     * The roles of a layer's variables in the order Keras creates them (trainable ones first, then the moving
     * statistics); empty for a layer without weights.
     */
    static List<String> roles(LayerSpec spec) {
        boolean bias = KerasKeys.bool(spec, true, "use_bias");
        List<String> list = new ArrayList<>();
        switch (spec.className()) {
            case "Dense", "Conv2D", "Conv2DTranspose" -> list.add("kernel");
            case "DepthwiseConv2D" -> list.add("depthwise_kernel");
            case "SeparableConv2D" -> {
                list.add("depthwise_kernel");
                list.add("pointwise_kernel");
            }
            case "Embedding" -> {
                bias = false;
                list.add("embeddings");
            }
            case "BatchNormalization" -> {
                bias = false;
                if (KerasKeys.bool(spec, true, "scale")) {
                    list.add("gamma");
                }
                if (KerasKeys.bool(spec, true, "center")) {
                    list.add("beta");
                }
                list.add("moving_mean");
                list.add("moving_variance");
            }
            default -> bias = false;
        }
        if (bias) {
            list.add("bias");
        }
        return list;
    }

    private static byte[] read(ZipFile zip, String name, Path file, long archiveSize) throws IOException {
        ZipEntry entry = ZipEntries.get(zip, name, file);
        if (entry == null) {
            throw new ModelFileException(file, "the archive has no '" + name + "': not a Keras 3 .keras file");
        }
        long cap = Math.min(Integer.MAX_VALUE - 8, archiveSize * MAX_INFLATION);
        if (entry.getSize() > cap) {
            throw new ModelFileException(file, name + " declares " + entry.getSize() + " bytes, more than "
                    + MAX_INFLATION + "x the archive: corrupt or hostile");
        }
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes((int) Math.min(cap, entry.getSize() >= 0 ? entry.getSize() : cap) + 1);
            if (bytes.length > cap || entry.getSize() >= 0 && bytes.length != entry.getSize()) {
                throw new ModelFileException(file, name + " inflates to " + bytes.length + " bytes but declares "
                        + entry.getSize() + ": the archive is corrupt");
            }
            return bytes;
        }
    }
}
