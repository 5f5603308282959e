package dev.glassbox.instrument.chart;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.svg.SVGGraphics2D;

/**
 * Something that draws itself into a {@link Graphics2D} at a given size: a JFreeChart chart or an image grid.
 * Drawing into JFreeSVG's {@link SVGGraphics2D} gives SVG, drawing into a {@link BufferedImage} gives PNG; the same
 * code draws both, so the two never disagree.
 */
public interface Figure {
    /** Draws into {@code area} of {@code g}. */
    void draw(Graphics2D g, Rectangle2D area);

    /** Natural width in pixels. */
    int width();

    /** Natural height in pixels. */
    int height();

    /** The figure as an {@code <svg>} element (for inlining into HTML). */
    default String toSvg() {
        SVGGraphics2D g = new SVGGraphics2D(width(), height());
        draw(g, new Rectangle2D.Double(0, 0, width(), height()));
        return g.getSVGElement();
    }

    /** The figure as a bitmap, anti-aliased. */
    default BufferedImage toImage() {
        return toImage(1);
    }

    /**
     * The figure as a bitmap {@code scale} times its natural size, anti-aliased: drawn at its natural size through
     * a scaling transform, so the layout (and what fits) is the same as at full size, only finer or coarser.
     */
    default BufferedImage toImage(double scale) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("figure scale must be positive, got " + scale);
        }
        int w = Math.max(1, (int) Math.round(width() * scale));
        int h = Math.max(1, (int) Math.round(height() * scale));
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.scale(scale, scale);
            draw(g, new Rectangle2D.Double(0, 0, width(), height()));
        } finally {
            g.dispose();
        }
        return image;
    }

    /** Writes {@code file} as an SVG document. */
    default void writeSvg(Path file) throws IOException {
        Files.writeString(file, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + toSvg() + "\n",
                StandardCharsets.UTF_8);
    }

    /** Writes {@code file} as a PNG (through ImageIO). */
    default void writePng(Path file) throws IOException {
        writePng(file, 1);
    }

    /** Writes {@code file} as a PNG {@code scale} times the natural size (see {@link #toImage(double)}). */
    default void writePng(Path file, double scale) throws IOException {
        if (!ImageIO.write(toImage(scale), "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }
}
