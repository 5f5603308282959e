package dev.glassbox.instrument.chart;

import dev.glassbox.instrument.stats.RunningStats;
import java.awt.Color;
import java.awt.Paint;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.PaintScaleLegend;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The charts of the instrument module, built with JFreeChart and returned as {@link Figure}s (SVG through
 * JFreeSVG, PNG through ImageIO): line charts (a statistic per layer or per step, loss curves), histograms, heat
 * maps, horizontal bar charts. Scatter plots of embeddings are in {@link EmbeddingPlot}, image grids in
 * {@link ImageGrid}.
 */
public final class Charts {
    /** Default figure size in pixels. */
    public static final int WIDTH = 640;
    public static final int HEIGHT = 400;

    private Charts() {}

    /**
     * One line per entry of {@code series} (name → y values at x = 1, 2, ...): e.g. mean |gradient| per layer,
     * one line per setting, or a loss per step.
     *
     * @param logY a logarithmic y axis; values ≤ 0 or not finite are then left out (a log axis cannot show them)
     */
    public static Figure lines(String title, String xLabel, String yLabel, Map<String, double[]> series,
            boolean logY) {
        return lines(title, xLabel, yLabel, series, logY, 1, 1);
    }

    /**
     * {@link #lines(String, String, String, Map, boolean)} with value i at x = {@code firstX} + i · {@code stepX}:
     * e.g. statistics watched at steps 1, 11, 21, ... of a training run.
     */
    public static Figure lines(String title, String xLabel, String yLabel, Map<String, double[]> series,
            boolean logY, double firstX, double stepX) {
        XYSeriesCollection dataset = new XYSeriesCollection();
        int omitted = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            XYSeries line = new XYSeries(e.getKey(), false, true);
            double[] values = e.getValue();
            for (int i = 0; i < values.length; i++) {
                if (Double.isFinite(values[i]) && (!logY || values[i] > 0)) {
                    line.add(firstX + i * stepX, values[i]);
                } else {
                    omitted++;
                }
            }
            dataset.addSeries(line);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        styled(plot);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, series.values().stream()
                .allMatch(v -> v.length <= 30));                      // markers only where points are few
        plot.setRenderer(renderer);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (omitted > 0) {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle(omitted + (logY ? " values that are 0, negative"
                    + " or not finite are not shown" : " values that are not finite are not shown")));
        }
        if (logY) {
            LogAxis y = new LogAxis(yLabel);
            y.setSmallestValue(1e-45);
            // Ticks as numbers ("2.5E-3"): JFreeChart's default writes powers of ten, which on a range of less
            // than a decade become fractional exponents ("10^-2.6") that nobody reads at a glance.
            y.setNumberFormatOverride(new java.text.DecimalFormat("0.##E0",
                    java.text.DecimalFormatSymbols.getInstance(java.util.Locale.ROOT)));
            plot.setRangeAxis(y);
        }
        return new ChartFigure(chart, WIDTH, HEIGHT);
    }

    /** The histogram a {@link RunningStats} kept (values outside its range are noted in the subtitle). */
    public static Figure histogram(String title, RunningStats stats) {
        long[] bins = stats.histogram();
        double width = (stats.histogramHigh() - stats.histogramLow()) / bins.length;
        XYSeries counts = new XYSeries("count");
        for (int i = 0; i < bins.length; i++) {
            counts.add(stats.histogramLow() + (i + 0.5) * width, bins[i]);
        }
        JFreeChart chart = ChartFactory.createXYBarChart(title, "value", false, "count",
                new XYSeriesCollection(counts), PlotOrientation.VERTICAL, false, false, false);
        styled(chart.getXYPlot());
        if (stats.underflow() + stats.overflow() > 0) {
            chart.addSubtitle(new org.jfree.chart.title.TextTitle(stats.underflow() + " below, " + stats.overflow()
                    + " above the range"));
        }
        return new ChartFigure(chart, WIDTH, HEIGHT);
    }

    /**
     * Horizontal bars, one group per category (top to bottom in list order) and one bar per entry of {@code series}
     * (name → one value per category): e.g. a measured ratio and its target for each benchmark. Horizontal because
     * category names are often long; the figure grows with the number of categories so every label stays readable.
     * A value that is not finite draws no bar (JFreeChart would otherwise draw nothing useful for it).
     */
    public static Figure bars(String title, String valueLabel, List<String> categories, Map<String, double[]> series) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            if (e.getValue().length != categories.size()) {
                throw new IllegalArgumentException("series '" + e.getKey() + "' has " + e.getValue().length
                        + " values for " + categories.size() + " categories");
            }
            for (int i = 0; i < categories.size(); i++) {
                double value = e.getValue()[i];
                dataset.addValue(Double.isFinite(value) ? value : null, e.getKey(), categories.get(i));
            }
        }
        JFreeChart chart = ChartFactory.createBarChart(title, null, valueLabel, dataset, PlotOrientation.HORIZONTAL,
                series.size() > 1, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
        chart.setBackgroundPaint(Color.WHITE);
        int height = Math.max(HEIGHT / 2, 120 + categories.size() * 18 * Math.max(1, series.size()));
        return new ChartFigure(chart, WIDTH + 160, height);
    }

    /**
     * A matrix as coloured cells: {@code values[row][column]}, row 0 at the top (as a weight matrix or an image is
     * read), blue for negative, white for 0, red for positive, symmetric around 0 when the data has both signs.
     */
    public static Figure heatMap(String title, String xLabel, String yLabel, double[][] values) {
        int rows = values.length;
        int columns = rows == 0 ? 0 : values[0].length;
        double[][] xyz = new double[3][rows * columns];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                int i = r * columns + c;
                xyz[0][i] = c;
                xyz[1][i] = r;
                xyz[2][i] = values[r][c];
                if (Double.isFinite(values[r][c])) {
                    min = Math.min(min, values[r][c]);
                    max = Math.max(max, values[r][c]);
                }
            }
        }
        if (!(max > min)) {
            min = Double.isFinite(min) ? min - 1 : -1;
            max = min + 2;
        }
        if (min < 0 && max > 0) {
            max = Math.max(-min, max);
            min = -max;
        }
        DefaultXYZDataset dataset = new DefaultXYZDataset();
        dataset.addSeries("values", xyz);
        XYBlockRenderer renderer = new XYBlockRenderer();
        DivergingScale scale = new DivergingScale(min, max);
        renderer.setPaintScale(scale);
        NumberAxis x = new NumberAxis(xLabel);
        NumberAxis y = new NumberAxis(yLabel);
        y.setInverted(true);
        for (NumberAxis axis : new NumberAxis[] {x, y}) {
            axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            axis.setLowerMargin(0);
            axis.setUpperMargin(0);
        }
        x.setRange(-0.5, columns - 0.5);
        y.setRange(-0.5, rows - 0.5);
        XYPlot plot = new XYPlot(dataset, x, y, renderer);
        styled(plot);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, false);
        PaintScaleLegend legend = new PaintScaleLegend(scale, new NumberAxis());
        legend.setPosition(RectangleEdge.RIGHT);
        legend.setMargin(4, 4, 40, 4);
        chart.addSubtitle(legend);
        chart.setBackgroundPaint(Color.WHITE);
        return new ChartFigure(chart, WIDTH, HEIGHT);
    }

    static void styled(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(220, 220, 220));
        plot.setRangeGridlinePaint(new Color(220, 220, 220));
    }

    /** Blue (min) to white (midpoint) to red (max). */
    private record DivergingScale(double min, double max) implements PaintScale {
        @Override
        public double getLowerBound() {
            return min;
        }

        @Override
        public double getUpperBound() {
            return max;
        }

        @Override
        public Paint getPaint(double value) {
            if (!Double.isFinite(value)) {
                return Color.BLACK;
            }
            double t = Math.max(0, Math.min(1, (value - min) / (max - min)));
            if (t < 0.5) {
                int c = (int) Math.round(255 * t * 2);
                return new Color(c, c, 255);
            }
            int c = (int) Math.round(255 * (1 - t) * 2);
            return new Color(255, c, c);
        }
    }
}
