package io.mamos.cli;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The session {@code mamos login} keeps: {@code credentials.json} in the user's config folder
 * ({@code $XDG_CONFIG_HOME/mamos}, else {@code ~/.config/mamos}), readable by its owner only
 * (0600, folder 0700). Refresh tokens rotate and a reused one ends the session, so refreshing
 * happens under a lock file: two {@code mamos} commands at once never spend the same token.
 */
final class Credentials {

    static final String FILE_NAME = "credentials.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param accessTokenExpiresAt  when the access token stops working, epoch seconds (it is refreshed a
     *                              little before)
     * @param refreshTokenExpiresAt when the session ends unless used, as the server said (ISO-8601)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Session(String server, String username, String role, String accessToken, long accessTokenExpiresAt,
            String refreshToken, String refreshTokenExpiresAt) {

        boolean accessTokenValidFor(long seconds) {
            return accessToken != null && Instant.now().getEpochSecond() + seconds < accessTokenExpiresAt;
        }
    }

    private final Path folder;

    Credentials(Path folder) {
        this.folder = folder;
    }

    /** The user's config folder, as the XDG base directory spec places it. */
    static Credentials ofUser(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return new Credentials(base.resolve("mamos"));
    }

    Path file() {
        return folder.resolve(FILE_NAME);
    }

    Optional<Session> read() {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Session.class));
        } catch (IOException e) {
            throw new CliException(CliExit.UNAUTHENTICATED, "cannot read " + file + " (" + e.getMessage()
                    + "); run `mamos login` again");
        }
    }

    /** Writes the session through a 0600 temporary file moved into place, so no reader sees half a file. */
    void write(Session session) {
        try {
            createFolder();
            Path temporary = Files.createTempFile(folder, ".credentials", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), session);
                try {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temporary, file(), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CliException(CliExit.SOFTWARE, "cannot write " + file() + ": " + e.getMessage(), e);
        }
    }

    boolean delete() {
        try {
            return Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new CliException(CliExit.SOFTWARE, "cannot delete " + file() + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code action} holding the folder's lock file, shared by every {@code mamos} of this user. */
    <T> T locked(Supplier<T> action) {
        try {
            createFolder();
            try (FileChannel channel = FileChannel.open(folder.resolve(".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                return action.get();
            }
        } catch (IOException e) {
            throw new CliException(CliExit.SOFTWARE, "cannot lock " + folder + ": " + e.getMessage(), e);
        }
    }

    private void createFolder() throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }
}
