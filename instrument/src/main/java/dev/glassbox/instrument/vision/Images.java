package dev.glassbox.instrument.vision;

import dev.glassbox.engine.io.Npy;
import dev.glassbox.engine.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Images in and out: PNG/JPEG (ImageIO) or .npy files to tensors in [0, 1], resizing, and tensors back to images.
 * Tensors here are one image [channels, height, width] (channels 1 or 3) unless a method says otherwise.
 */
public final class Images {
    private Images() {}

    /**
     * Reads an image file as [channels, height, width] in [0, 1], resized (bilinear) to the given size.
     * PNG/JPEG/BMP/GIF through ImageIO (grey images keep one channel, colour ones become RGB); .npy arrays of
     * shape [H, W], [H, W, C] or [C, H, W] (values above 1 are taken as 0–255 pixels). An array that holds several
     * images, such as the [N, 784] rows of flattened digits that {@code predict} takes, is refused with a hint
     * rather than read as one oddly shaped picture.
     */
    public static Tensor read(Path file, int channels, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image " + file + " does not exist");
        }
        Tensor image = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")
                ? fromNpy(file, channels * height * width, height, width) : fromImage(file);
        return resize(toChannels(image, channels, file), height, width);
    }

    private static Tensor fromImage(Path file) throws IOException {
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new IllegalArgumentException("image " + file + " is not a readable PNG, JPEG, BMP or GIF file");
        }
        boolean grey = img.getColorModel().getNumColorComponents() == 1;
        int h = img.getHeight();
        int w = img.getWidth();
        int c = grey ? 1 : 3;
        float[] data = new float[c * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                if (grey) {
                    data[y * w + x] = (rgb & 0xff) / 255f;
                } else {
                    data[y * w + x] = ((rgb >> 16) & 0xff) / 255f;
                    data[h * w + y * w + x] = ((rgb >> 8) & 0xff) / 255f;
                    data[2 * h * w + y * w + x] = (rgb & 0xff) / 255f;
                }
            }
        }
        return new Tensor(data, c, h, w);
    }

    /**
     * An .npy image as [C, H, W]; {@code pixels} (C·H·W), {@code height} and {@code width} are the model's, used
     * only to recognise flattened images.
     */
    private static Tensor fromNpy(Path file, int pixels, int height, int width) throws IOException {
        Tensor t = Npy.read(file);
        if (t.rank() == 2 && t.dim(1) == pixels && t.dim(1) != width) {
            throw new IllegalArgumentException("image " + file + " has shape " + java.util.Arrays.toString(t.shape())
                    + ": rows of " + pixels + " values, flattened images, where one image is expected; pass one"
                    + " as [" + height + ", " + width + "] (for example x[0].reshape(" + height + ", " + width
                    + ") in numpy)");
        }
        if (t.rank() == 2) {
            t = t.reshape(1, t.dim(0), t.dim(1));
        } else if (t.rank() == 3 && t.dim(2) <= 4 && t.dim(0) > 4) {
            t = t.permute(2, 0, 1);                          // [H, W, C] → [C, H, W]
        } else if (t.rank() == 4 && t.dim(0) == 1) {
            t = t.reshape(t.dim(1), t.dim(2), t.dim(3));
            if (t.dim(2) <= 4 && t.dim(0) > 4) {
                t = t.permute(2, 0, 1);
            }
        } else if (t.rank() != 3) {
            throw new IllegalArgumentException("image " + file + " has shape " + java.util.Arrays.toString(t.shape())
                    + "; expected [H, W], [H, W, C], [C, H, W] or a batch of one");
        }
        float max = 0;
        for (float v : t.data()) {
            max = Math.max(max, v);
        }
        return max > 1.0001f ? t.div(255f) : t;
    }

    /** Converts grey ↔ RGB as the model needs (RGB → grey by the Rec. 601 luma weights). */
    static Tensor toChannels(Tensor image, int channels, Path source) {
        int c = image.dim(0);
        if (c == channels) {
            return image;
        }
        int plane = image.dim(1) * image.dim(2);
        float[] in = image.data();
        float[] out = new float[channels * plane];
        if (channels == 1 && (c == 3 || c == 4)) {          // RGB, or RGBA with its alpha left out
            for (int i = 0; i < plane; i++) {
                out[i] = 0.299f * in[i] + 0.587f * in[plane + i] + 0.114f * in[2 * plane + i];
            }
        } else if (c == 1) {
            for (int k = 0; k < channels; k++) {
                System.arraycopy(in, 0, out, k * plane, plane);
            }
        } else {
            throw new IllegalArgumentException("image " + source + " has " + c + " channels; the model needs "
                    + channels + (c > 4 ? " (an array of " + c + " images? pass one)" : ""));
        }
        return new Tensor(out, channels, image.dim(1), image.dim(2));
    }

    /** Bilinear resize of [C, H, W] (or [H, W]) to the given size, with pixel centres aligned (align_corners=False). */
    public static Tensor resize(Tensor image, int height, int width) {
        boolean flat = image.rank() == 2;
        Tensor t = flat ? image.reshape(1, image.dim(0), image.dim(1)) : image;
        int c = t.dim(0);
        int h = t.dim(1);
        int w = t.dim(2);
        if (h == height && w == width) {
            return image;
        }
        float[] in = t.data();
        float[] out = new float[c * height * width];
        for (int y = 0; y < height; y++) {
            double sy = Math.max(0, (y + 0.5) * h / height - 0.5);
            int y0 = Math.min((int) sy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < width; x++) {
                double sx = Math.max(0, (x + 0.5) * w / width - 0.5);
                int x0 = Math.min((int) sx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                for (int k = 0; k < c; k++) {
                    int p = k * h * w;
                    double top = in[p + y0 * w + x0] * (1 - fx) + in[p + y0 * w + x1] * fx;
                    double bottom = in[p + y1 * w + x0] * (1 - fx) + in[p + y1 * w + x1] * fx;
                    out[k * height * width + y * width + x] = (float) (top * (1 - fy) + bottom * fy);
                }
            }
        }
        return flat ? new Tensor(out, height, width) : new Tensor(out, c, height, width);
    }

    /** A [C, H, W] tensor in [0, 1] (clamped) as a grey (C = 1) or RGB (C = 3) image. */
    public static BufferedImage toImage(Tensor image) {
        int c = image.dim(0);
        int h = image.dim(1);
        int w = image.dim(2);
        float[] d = image.data();
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int r = byteOf(d[y * w + x]);
                int g = c >= 3 ? byteOf(d[h * w + y * w + x]) : r;
                int b = c >= 3 ? byteOf(d[2 * h * w + y * w + x]) : r;
                img.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return img;
    }

    static int byteOf(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    /** Writes a PNG, creating the folder. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
