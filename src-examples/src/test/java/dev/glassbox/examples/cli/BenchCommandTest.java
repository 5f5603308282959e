package dev.glassbox.examples.cli;

import static dev.glassbox.examples.CommandLineRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code glassbox bench}: its options, and the tiny mode end to end (one pooling benchmark in this JVM, no
 * warm-up). Nothing here looks at a timing; the tests never run Python (the missing-interpreter path is the one
 * tested).
 */
class BenchCommandTest {
    @TempDir Path dir;

    private static BenchCommand parse(String... args) {
        BenchCommand command = new BenchCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void optionsDefaultToTheFullSuiteWithoutComparisonsIntoOutBench() {
        BenchCommand defaults = parse();
        assertFalse(defaults.quick || defaults.compare || defaults.tiny);
        assertEquals(Path.of("out/bench"), defaults.out);
        assertNull(defaults.python);
        BenchCommand given = parse("--quick", "--compare", "--out", "results", "--python", "/opt/py/bin/python3",
                "--threads", "1");
        assertTrue(given.quick && given.compare);
        assertEquals(Path.of("results"), given.out);
        assertEquals("/opt/py/bin/python3", given.python);
        assertEquals(1, given.common.threads);
    }

    @Test
    void argumentsAfterTheSeparatorGoToJmh() {
        String[] listed = run("bench", "--", "-l", "PoolBench");
        assertEquals("0", listed[0], listed[1]);
        assertTrue(listed[1].contains("dev.glassbox.bench.PoolBench.forward"), listed[1]);
        assertFalse(listed[1].contains("SgemmBench"), listed[1]);
        assertEquals("2", run("bench", "--", "-no-such-jmh-option")[0]);
    }

    @Test
    void badOptionsExitWithTwo() {
        assertEquals("2", run("bench", "--no-such-option")[0]);
        assertEquals("2", run("bench", "--quick", "--tiny", "--out", dir.toString())[0]);
        assertEquals("2", run("bench", "--tiny", "--threads", "0", "--out", dir.toString())[0]);
    }

    @Test
    void tinyRunWritesTheTableAsMarkdownAndHtml() throws Exception {
        String[] result = run("bench", "--tiny", "--out", dir.toString());
        assertEquals("0", result[0], result[1]);
        String markdown = Files.readString(dir.resolve("bench.md"));
        assertTrue(markdown.matches("(?s).*\\| PoolBench\\.forward \\| batch=64 layer=pool2 \\| [0-9.]+ \\|.*us/op.*"),
                markdown);
        assertFalse(markdown.contains("Side by side"), "no comparisons without --compare");
        String html = Files.readString(dir.resolve("bench.html"));
        assertTrue(html.contains("<td>PoolBench.forward</td>"), html);
        assertTrue(Files.exists(dir.resolve("jmh/PoolBench.json")), "JMH's raw results kept");
        assertTrue(result[1].contains("PoolBench.forward"), "the table is printed too: " + result[1]);
    }

    @Test
    void aMissingPythonIsANoteAndGlassboxNumbersStillAppear() throws Exception {
        Path nowhere = dir.resolve("no-python-here");
        String[] result = run("bench", "--tiny", "--compare", "--python", nowhere.toString(), "--out",
                dir.toString());
        assertEquals("0", result[0], result[1]);
        assertTrue(result[1].contains("PyTorch reference not run (no Python interpreter at " + nowhere), result[1]);
        String markdown = Files.readString(dir.resolve("bench.md"));
        assertTrue(markdown.contains("scikit-learn reference not run"), markdown);
        // A Glassbox time with no reference: the ratio and status are n/a, never a made-up number.
        assertTrue(markdown.matches("(?s).*\\| seed CNN training epoch \\(128 digits, batch 64\\), 2 threads \\| "
                + "[0-9.]+ \\| PyTorch \\(not run\\) \\| n/a \\| s \\| n/a \\| ≤ 0\\.80 \\| n/a \\|.*"), markdown);
        // The FMA peak needs no Python, so its rows have a ratio and a verdict.
        assertTrue(markdown.matches("(?s).*\\| sgemm 512³, 1 thread \\| [0-9.]+ \\| fp32 FMA peak, timed beside it "
                + "\\| [0-9.]+ \\| GFLOP/s \\| [0-9.]+ \\| ≥ 0\\.85 \\| (met|missed) \\|.*"), markdown);
        String html = Files.readString(dir.resolve("bench.html"));
        assertTrue(html.contains("<svg") && html.contains("t-SNE Barnes-Hut"), "bar chart of the ratios");
    }
}
