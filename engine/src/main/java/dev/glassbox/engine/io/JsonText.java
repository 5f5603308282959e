package dev.glassbox.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a JSON file (an architecture or a Keras config) as the UTF-8 text JSON must be. */
final class JsonText {
    private JsonText() {
    }

    /**
     * The file's text. A byte sequence that is not UTF-8 is a {@link ModelFileException} naming the file; the
     * decoder's own exception says only "Input length = 1".
     */
    static String read(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, "is not UTF-8 text, as a JSON file must be (" + e + ")", e);
        }
    }

    /**
     * The text of JSON bytes read from inside {@code file} (the entry {@code entry} of an archive), decoded as
     * strictly as {@link #read}: {@code new String(bytes, UTF_8)} would turn bad bytes into replacement characters
     * and leave a puzzling JSON error for later.
     */
    static String decode(byte[] bytes, Path file, String entry) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFileException(file, entry + " is not UTF-8 text, as a JSON file must be (" + e + ")", e);
        }
    }
}
