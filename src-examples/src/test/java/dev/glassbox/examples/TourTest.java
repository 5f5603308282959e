package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The five notebooks run end to end once (quick mode, few digits); the report is read as text and in a browser. */
class TourTest {
    @TempDir static Path dir;
    static Tour.Result tour;
    static String html;

    @BeforeAll
    static void runTheQuickTour() throws Exception {
        tour = Tour.run(NotebooksTest.tiny(dir, 600));
        html = Files.readString(tour.report());
    }

    @Test
    void theTourWritesAReportWithEveryNotebook() throws Exception {
        for (String section : new String[] {"1. What each layer", "2. t-SNE", "3. Hooks", "4. Gradient flow",
            "5. What a convnet learns", "Total params: 431,080", "PyTorch measured", "Wall time",
            "Grad-CAM", "Feature maps of every conv and pool layer", "probe accuracy", "trustworthiness"}) {
            assertTrue(html.contains(section), "the report lacks " + section);
        }
        assertTrue(Files.exists(dir.resolve("visualize/index.html")));
        assertTrue(Files.exists(dir.resolve("notebook01/representations/hidden1.npy")));
        assertTrue(Files.exists(dir.resolve("notebook02/cnn.json")));
    }

    @Test
    void everyNotebookIsTimedOnThePage() {
        assertEquals(5, tour.timings().size());
        Matcher took = Pattern.compile("This notebook took (\\d+\\.\\d) s\\.").matcher(html);
        for (Tour.Timing timing : tour.timings()) {
            assertTrue(took.find(), "no wall time on the page for " + timing.notebook());
            assertEquals(String.format(java.util.Locale.ROOT, "%.1f", timing.seconds()), took.group(1));
            assertTrue(timing.seconds() > 0);
            assertFalse(timing.summary().isBlank(), timing.notebook());
        }
    }

    @Test
    void theReportIsSelfContainedAndTheMapsLinkTheirFullSvg() throws Exception {
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("<link"), "no style sheets or icons to fetch");
        Matcher src = Pattern.compile("src=\"([^\"]*)\"").matcher(html);
        int images = 0;
        while (src.find()) {
            assertTrue(src.group(1).startsWith("data:image/png;base64,"), "an image to fetch: " + src.group(1));
            images++;
        }
        // Maps: 4 of the MLP, 4 of the CNN, 6 of the hooks and the 4 curves of its training; 6 gradient-flow
        // charts; notebook 5: 5 class-evidence maps, 3 feature-map grids, 3 filter-pattern grids.
        assertEquals(4 + 4 + 6 + 4 + 6 + 5 + 3 + 3, images);
        assertFalse(html.contains("<svg"), "every figure is a PNG, its SVG beside the page");
        Matcher svgLink = Pattern.compile("href=\"([^\"]*\\.svg)\"").matcher(html);
        int links = 0;
        while (svgLink.find()) {
            assertTrue(Files.size(dir.resolve(svgLink.group(1))) > 0, svgLink.group(1));
            links++;
        }
        assertEquals(images, links, "every inlined image links its SVG");
    }

    @Test
    void theReportLoadsInChromiumWithoutErrorsAndEveryFigureHasASize() throws Exception {
        Optional<Path> chromium = BrowserCheck.chromium();
        assumeTrue(chromium.isPresent(), "no chromium on the PATH: the browser check is skipped (Debian: apt-get"
                + " install chromium)");
        BrowserCheck.Verdict verdict = BrowserCheck.check(chromium.get(), tour.report());
        assertEquals(java.util.List.of(), verdict.problems(), "the page met problems in the browser");
        // Every figure of the page: the 35 inlined images.
        assertEquals(35, verdict.figures().size());
        for (BrowserCheck.Figure f : verdict.figures()) {
            assertTrue(f.width() > 0 && f.height() > 0 && f.decoded(), "a figure without a rendered size: " + f);
        }
    }
}
