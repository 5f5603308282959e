package dev.glassbox.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One float vector shape in the whole program. With the Java 17 Vector API, kernels that use two float shapes in
 * one JVM share the library's call sites and type profiles; the JIT then sometimes fails to intrinsify the other
 * shape's operations and falls back to allocating Java code (a training step measured twice as slow after a
 * 256-bit statistics kernel had run beside the engine's 512-bit ones). So every module's main code takes
 * {@code FloatVector.SPECIES_PREFERRED}, and doubles, ints and longs their preferred species too.
 */
class VectorSpeciesTest {
    private static final Pattern OTHER_SHAPE = Pattern.compile(
            "SPECIES_(64|128|256|512|MAX)\\b|VectorShape\\.|VectorSpecies\\.of\\(");

    @Test
    void mainCodeUsesOnlyThePreferredSpecies() throws IOException {
        List<String> offenders = new ArrayList<>();
        int vectorFiles = 0;
        for (String module : new String[] {"engine", "instrument", "tsne", "bench", "src-examples"}) {
            Path sources = Path.of("..", module, "src", "main", "java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".java"))::iterator) {
                    List<String> lines = Files.readAllLines(file);
                    vectorFiles += lines.stream().anyMatch(l -> l.contains("jdk.incubator.vector")) ? 1 : 0;
                    for (int i = 0; i < lines.size(); i++) {
                        if (OTHER_SHAPE.matcher(lines.get(i)).find()) {
                            offenders.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                        }
                    }
                }
            }
        }
        assertTrue(vectorFiles >= 8, "found only " + vectorFiles + " Vector API sources under ../*/src/main/java");
        assertEquals(List.of(), offenders, "vector species other than the preferred ones");
    }
}
