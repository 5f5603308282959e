package dev.glassbox.instrument.vision;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.svg.SVGGraphics2D;

/** Tiles images into a titled grid, and writes any image as PNG and as SVG (JFreeSVG, image embedded). */
public final class Tiles {
    private Tiles() {}

    /** Images of equal size in rows of {@code perRow}, each scaled by {@code scale}, a title above. */
    public static BufferedImage tile(String title, List<BufferedImage> images, int perRow, int scale) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images to tile for '" + title + "'");
        }
        int w = images.get(0).getWidth() * scale;
        int h = images.get(0).getHeight() * scale;
        int gap = 3;
        int cols = Math.min(perRow, images.size());
        int rows = (images.size() + perRow - 1) / perRow;
        BufferedImage out = new BufferedImage(Math.max(cols * (w + gap), 200),
                FeatureMaps.TITLE_HEIGHT + rows * (h + gap), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.drawString(title, 4, FeatureMaps.TITLE_HEIGHT - 6);
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % perRow) * (w + gap), FeatureMaps.TITLE_HEIGHT + (i / perRow) * (h + gap), w,
                    h, null);
        }
        g.dispose();
        return out;
    }

    /** Writes {@code base}.png and {@code base}.svg. */
    public static void writePngAndSvg(BufferedImage image, Path base) throws IOException {
        Images.writePng(image, base.resolveSibling(base.getFileName() + ".png"));
        SVGGraphics2D svg = new SVGGraphics2D(image.getWidth(), image.getHeight());
        svg.drawImage(image, 0, 0, null);
        Files.writeString(base.resolveSibling(base.getFileName() + ".svg"), svg.getSVGDocument(),
                StandardCharsets.UTF_8);
    }

    /** A scaled copy (nearest neighbour), for small maps in pages. */
    public static BufferedImage scaled(BufferedImage image, int scale) {
        BufferedImage out = new BufferedImage(image.getWidth() * scale, image.getHeight() * scale,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.drawImage(image, 0, 0, out.getWidth(), out.getHeight(), null);
        g.dispose();
        return out;
    }
}
