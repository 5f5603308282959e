package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir Path dir;

    /** A saved array or model gets the permissions any new file gets here, not owner-only ones. */
    @Test
    void theFileGetsThePermissionsOfAnyNewFile() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("sub/written.bin");
        AtomicFile.write(written, out -> out.write(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(written));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(written));
    }

    @Test
    void aFolderAsTheTargetIsRefusedByName() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("folder"));
        var e = assertThrows(IllegalArgumentException.class,
                () -> AtomicFile.write(folder, out -> out.write(1)));
        assertTrue(e.getMessage().startsWith(folder + " is a folder"), e.getMessage());
        assertEquals(List.of("folder"), names(dir));          // no temporary file left behind
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("target.bin");
        Files.write(target, new byte[] {9});
        assertThrows(IllegalStateException.class, () -> AtomicFile.write(target, out -> {
            out.write(new byte[] {1, 2});
            throw new IllegalStateException("content failed");
        }));
        assertArrayEquals(new byte[] {9}, Files.readAllBytes(target));
        assertEquals(List.of("target.bin"), names(dir));
    }

    private static List<String> names(Path folder) throws Exception {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
