package dev.glassbox.instrument.chart;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;

/** A JFreeChart chart as a {@link Figure} of a given size. */
public record ChartFigure(JFreeChart chart, int width, int height) implements Figure {
    @Override
    public void draw(Graphics2D g, Rectangle2D area) {
        chart.draw(g, area);
    }
}
