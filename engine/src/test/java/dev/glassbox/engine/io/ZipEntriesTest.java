package dev.glassbox.engine.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Found by the seeded-mutation fuzzer (seed 7, mutant 41,460 of a small .keras file): a comment that is not UTF-8. */
class ZipEntriesTest {
    @TempDir Path dir;

    /** A zip of the given entries whose first comment has a byte that no UTF-8 text holds (0xFF). */
    private static byte[] zipWithBadComment(String... names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : names) {
                ZipEntry entry = new ZipEntry(name);
                entry.setComment(name.equals(names[0]) ? "MARK" : null);
                zip.putNextEntry(entry);
                zip.write("{}".getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        byte[] zip = bytes.toByteArray();
        String text = new String(zip, StandardCharsets.ISO_8859_1);
        zip[text.lastIndexOf("MARK")] = (byte) 0xff;                // in the central directory
        return zip;
    }

    @Test
    void kerasArchiveWithAMalformedCommentIsAFileError() throws IOException {
        Path file = Files.write(dir.resolve("bad.keras"), zipWithBadComment("config.json", "model.weights.h5"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> KerasImporter.load(file));
        assertTrue(e.getMessage().contains("bad.keras") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    @Test
    void pyTorchZipWithAMalformedCommentIsAFileError() throws IOException {
        Path file = Files.write(dir.resolve("bad.pt"), zipWithBadComment("archive/data.pkl", "archive/byteorder"));
        ModelFileException e = assertThrows(ModelFileException.class, () -> TorchStateDict.read(file));
        assertTrue(e.getMessage().contains("bad.pt") && e.getMessage().contains("not UTF-8"), e.getMessage());
    }
}
