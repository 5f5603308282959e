package dev.glassbox.instrument.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.glassbox.engine.nn.Initializers;
import dev.glassbox.engine.nn.Model;
import dev.glassbox.engine.nn.SeedModels;
import dev.glassbox.engine.tensor.Tensors;
import dev.glassbox.instrument.chart.Charts;
import dev.glassbox.instrument.stats.HealthMonitor;
import dev.glassbox.instrument.stats.HealthReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void aReportIsOneSelfContainedFileWithFindingsAndInlineSvg(@TempDir Path dir) throws Exception {
        Model model = SeedModels.deep("tanh", Initializers.randomNormal(0, 200), 1);
        HealthReport health;
        try (HealthMonitor monitor = HealthMonitor.attach(model)) {
            model.forward(Tensors.randn(new SplittableRandom(1), 4, 20));
            health = monitor.report();
        }
        HtmlReport report = new HtmlReport("deep <tanh> net")
                .section("Health").findings(health.findings()).table(HealthReport.COLUMNS, health.rows())
                .section("Activations").figure(Charts.lines("mean |act|", "layer", "mean |h|",
                        Map.of("tanh", new double[] {0.5, 1, 1}), false), "mean |activation| per layer");
        Path file = dir.resolve("report.html");
        report.write(file);
        String html = Files.readString(file);
        assertTrue(html.contains("deep &lt;tanh&gt; net"), "titles are escaped");
        assertTrue(html.contains("<svg"), "figures are inline");
        assertTrue(html.contains("dense_5: 100 % of units saturated"), "findings table");
        assertFalse(html.contains("http://") && html.contains("<script"), "no scripts");
        assertFalse(html.contains("src=\"http"), "nothing loaded from the network");
    }

    @Test
    void aPageWithSeveralSectionsListsThemAtTheTopAsLinks() {
        String two = new HtmlReport("t").section("1. <MLP>").paragraph("a").section("2. CNN").paragraph("b").toHtml();
        assertTrue(two.contains("<nav><ol><li><a href=\"#section-1\">1. &lt;MLP&gt;</a></li>"
                + "<li><a href=\"#section-2\">2. CNN</a></li></ol></nav>"), two);
        assertTrue(two.contains("<h2 id=\"section-1\">1. &lt;MLP&gt;</h2>") && two.contains("<h2 id=\"section-2\">"),
                two);
        assertTrue(two.indexOf("<nav>") < two.indexOf("<h2"), "the contents come before the first section");
        assertFalse(new HtmlReport("t").section("only").toHtml().contains("<nav>"), "one section needs no contents");
    }

    @Test
    void aPngIsInlinedAsADataUriWithACaptionLinkingItsSvg(@TempDir Path dir) throws Exception {
        var chart = Charts.lines("mean |act|", "layer", "mean |h|", Map.of("tanh", new double[] {0.5, 1, 1}), false);
        chart.writePng(dir.resolve("chart.png"));
        String html = new HtmlReport("png").image(Files.readAllBytes(dir.resolve("chart.png")), 300, "a <chart>",
                "figures/chart.svg", false).toHtml();
        java.util.regex.Matcher data = java.util.regex.Pattern.compile("src=\"data:image/png;base64,([^\"]+)\"")
                .matcher(html);
        assertTrue(data.find(), "the bitmap is inline");
        var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(
                java.util.Base64.getDecoder().decode(data.group(1))));
        org.junit.jupiter.api.Assertions.assertEquals(chart.width(), image.getWidth());
        org.junit.jupiter.api.Assertions.assertEquals(chart.height(), image.getHeight());
        assertTrue(html.contains("width=\"300\""), "shown at the display width");
        assertTrue(html.contains("<a href=\"figures/chart.svg\">a &lt;chart&gt;</a>"), "the caption links the SVG");
        assertFalse(html.contains("<svg"), "no SVG inline");
    }
}
