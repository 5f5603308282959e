package dev.glassbox.instrument.chart;

import dev.glassbox.engine.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;

/**
 * Images in a grid: digits, the feature maps of one layer, filters. Each image is scaled to [0, 255] grey by its
 * own min and max (a feature map's absolute scale is arbitrary; its pattern is the point), drawn without
 * smoothing so every pixel stays a visible square, with an optional caption per tile.
 */
public final class ImageGrid implements Figure {
    private final BufferedImage[] images;
    private final String[] captions;
    private final int columns;
    private final int tile;
    private final String title;

    /**
     * @param images [n, h, w] or [n, 1, h, w] (digits, one map per image) — or [n, c, h, w] shown channel by
     *     channel when c > 1 (each channel a tile); not modified
     * @param captions one per tile, or null
     * @param columns tiles per row
     * @param tile pixels per tile side
     */
    public ImageGrid(String title, Tensor images, String[] captions, int columns, int tile) {
        int rank = images.rank();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException("image grid expects [n, h, w] or [n, c, h, w], got shape "
                    + java.util.Arrays.toString(images.shape()));
        }
        int h = images.dim(-2);
        int w = images.dim(-1);
        int count = images.size() / (h * w);
        if (captions != null && captions.length != count) {
            throw new IllegalArgumentException("image grid: " + count + " tiles but " + captions.length + " captions");
        }
        this.images = new BufferedImage[count];
        for (int i = 0; i < count; i++) {
            this.images[i] = toImage(images.data(), i * h * w, h, w);
        }
        this.captions = captions;
        this.columns = Math.max(1, Math.min(columns, count));
        this.tile = tile;
        this.title = title;
    }

    /** One grey image of h×w values from {@code values[offset ..]}, scaled by its own min and max (max white). */
    static BufferedImage toImage(float[] values, int offset, int h, int w) {
        return toImage(values, offset, h, w, false);
    }

    /**
     * As {@link #toImage(float[], int, int, int)}; {@code inverted} draws the max black on white (matplotlib's
     * {@code gray_r}, how the notebooks draw digits over a plot).
     */
    static BufferedImage toImage(float[] values, int offset, int h, int w, boolean inverted) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + h * w; i++) {
            if (Float.isFinite(values[i])) {
                min = Math.min(min, values[i]);
                max = Math.max(max, values[i]);
            }
        }
        float range = max > min ? max - min : 1;
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float v = values[offset + y * w + x];
                int grey = Float.isFinite(v) ? Math.round(255 * (v - min) / range) : 0;
                grey = inverted ? 255 - grey : grey;
                image.setRGB(x, y, (grey << 16) | (grey << 8) | grey);
            }
        }
        return image;
    }

    private int captionHeight() {
        return captions == null ? 0 : 14;
    }

    private int titleHeight() {
        return title == null ? 0 : 24;
    }

    @Override
    public int width() {
        return columns * (tile + 4) + 4;
    }

    @Override
    public int height() {
        int rows = (images.length + columns - 1) / columns;
        return titleHeight() + rows * (tile + 4 + captionHeight()) + 4;
    }

    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        double sx = area.getWidth() / width();
        double sy = area.getHeight() / height();
        Graphics2D g2 = (Graphics2D) g.create();
        try {
            g2.translate(area.getX(), area.getY());
            g2.scale(sx, sy);
            g2.setColor(Color.WHITE);
            g2.fillRect(0, 0, width(), height());
            g2.setColor(Color.BLACK);
            if (title != null) {
                g2.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
                g2.drawString(title, 4, 17);
            }
            g2.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            for (int i = 0; i < images.length; i++) {
                int x = 4 + (i % columns) * (tile + 4);
                int y = titleHeight() + 4 + (i / columns) * (tile + 4 + captionHeight());
                g2.drawImage(images[i], x, y, tile, tile, null);
                if (captions != null) {
                    g2.drawString(captions[i], x, y + tile + 11);
                }
            }
        } finally {
            g2.dispose();
        }
    }
}
