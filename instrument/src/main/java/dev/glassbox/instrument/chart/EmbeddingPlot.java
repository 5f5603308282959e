package dev.glassbox.instrument.chart;

import dev.glassbox.engine.tensor.Tensor;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYImageAnnotation;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A 2-D embedding (t-SNE, PCA) of labelled examples, drawn as the seed notebooks' {@code plot_embedding} draws it:
 * coordinates scaled to [0, 1], every example as its label in its class colour, and image thumbnails on top where
 * no thumbnail already shown is closer than a minimum distance, so the plot shows what each region holds without
 * covering it.
 */
public final class EmbeddingPlot {
    /** The notebooks' spacing: a thumbnail only where the nearest shown one is at least √0.004 ≈ 0.063 away. */
    public static final double DEFAULT_MIN_DISTANCE = Math.sqrt(4e-3);
    /** Ten colours (matplotlib's tab10), one per class, cycling beyond ten. */
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private EmbeddingPlot() {}

    /**
     * @param embedding [n, 2] coordinates (not modified)
     * @param labels n class labels, drawn as text
     * @param images [n, h, w] or [n, 1, h, w] thumbnails (not modified), or null for labels only
     * @param minDistance in units of the scaled [0, 1] coordinates
     */
    public static Figure of(String title, Tensor embedding, int[] labels, Tensor images, double minDistance) {
        int n = embedding.dim(0);
        if (embedding.rank() != 2 || embedding.dim(1) != 2 || labels.length != n) {
            throw new IllegalArgumentException("embedding plot expects [n, 2] coordinates and n labels, got shape "
                    + java.util.Arrays.toString(embedding.shape()) + " and " + labels.length + " labels");
        }
        double[][] xy = scaledToUnitSquare(embedding);
        XYPlot plot = new XYPlot(new XYSeriesCollection(), axis("x"), axis("y"),
                new XYLineAndShapeRenderer(false, false));
        Charts.styled(plot);
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 9);
        for (int i = 0; i < n; i++) {
            XYTextAnnotation text = new XYTextAnnotation(Integer.toString(labels[i]), xy[i][0], xy[i][1]);
            text.setFont(font);
            text.setPaint(PALETTE[Math.floorMod(labels[i], PALETTE.length)]);
            plot.addAnnotation(text, false);
        }
        if (images != null) {
            int h = images.dim(-2);
            int w = images.dim(-1);
            for (int i : thumbnailIndices(xy, minDistance)) {
                BufferedImage thumbnail = ImageGrid.toImage(images.data(), i * h * w, h, w, true);
                plot.addAnnotation(new XYImageAnnotation(xy[i][0], xy[i][1], thumbnail), false);
            }
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        return new ChartFigure(chart, 800, 800);
    }

    /**
     * Greedy, in example order: take an example when every thumbnail taken so far is at least {@code minDistance}
     * away (the first one too is checked against the corner (1, 1), as the notebooks start from there).
     */
    public static List<Integer> thumbnailIndices(double[][] xy, double minDistance) {
        List<double[]> shown = new ArrayList<>();
        shown.add(new double[] {1, 1});
        List<Integer> chosen = new ArrayList<>();
        double limit = minDistance * minDistance;
        for (int i = 0; i < xy.length; i++) {
            double nearest = Double.POSITIVE_INFINITY;
            for (double[] s : shown) {
                double dx = xy[i][0] - s[0];
                double dy = xy[i][1] - s[1];
                nearest = Math.min(nearest, dx * dx + dy * dy);
            }
            if (nearest >= limit) {
                shown.add(xy[i]);
                chosen.add(i);
            }
        }
        return chosen;
    }

    /** Each coordinate mapped to [0, 1] by its own min and max (one point or a flat axis maps to 0.5). */
    public static double[][] scaledToUnitSquare(Tensor embedding) {
        int n = embedding.dim(0);
        float[] d = embedding.data();
        double[] min = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY};
        double[] max = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 2; a++) {
                min[a] = Math.min(min[a], d[2 * i + a]);
                max[a] = Math.max(max[a], d[2 * i + a]);
            }
        }
        double[][] xy = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 2; a++) {
                xy[i][a] = max[a] > min[a] ? (d[2 * i + a] - min[a]) / (max[a] - min[a]) : 0.5;
            }
        }
        return xy;
    }

    private static NumberAxis axis(String label) {
        NumberAxis axis = new NumberAxis(label);
        axis.setRange(-0.05, 1.05);
        axis.setTickLabelsVisible(false);
        return axis;
    }
}
