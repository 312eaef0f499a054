package io.mamos.orchestrator.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** The orchestrator's data folder: store, keys and generated secrets, readable by its owner only. */
public final class DataDirectory {

    private DataDirectory() {
    }

    public static Path ensure(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    /**
     * Reads a secret file, or creates it with 0600 (never readable by others, not even briefly).
     * Processes sharing the folder (orchestrator replicas, a separate gateway) starting at once
     * end with one secret: each writes its own temporary file and links it into place, which
     * fails for all but the first (a rename would silently replace the winner's).
     */
    public static String readOrCreateSecret(Path file, java.util.function.Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file).strip();
            }
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), file.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, generator.get() + "\n");
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first: use theirs.
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create secret file " + file, e);
        }
    }
}
