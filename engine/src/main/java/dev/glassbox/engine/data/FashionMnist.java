package dev.glassbox.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017: 60,000 + 10,000 28×28 images of clothing in 10 classes), read
 * from where Debian's {@code dataset-fashion-mnist} package installs it. Not shipped with the project.
 */
public final class FashionMnist {
    /** Where {@code apt-get install dataset-fashion-mnist} puts the IDX files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The class names, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** True when Debian's package is installed here. */
    public static boolean isInstalled() {
        return Files.isRegularFile(DEBIAN_DIR.resolve("train-images-idx3-ubyte.gz"));
    }

    /** The 60,000 training images. */
    public static Dataset train() {
        return load("train");
    }

    /** The 10,000 test images. */
    public static Dataset test() {
        return load("t10k");
    }

    private static Dataset load(String prefix) {
        if (!isInstalled()) {
            throw new IllegalStateException("Fashion-MNIST is not installed: apt-get install dataset-fashion-mnist"
                    + " (expected in " + DEBIAN_DIR + ")");
        }
        try {
            return Mnist.loadDirectory(DEBIAN_DIR, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
