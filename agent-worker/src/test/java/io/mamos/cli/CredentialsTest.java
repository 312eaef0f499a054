package io.mamos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path home;

    @Test
    void sessionIsKeptReadableByItsOwnerOnly() throws Exception {
        Credentials credentials = Credentials.ofUser(Map.of("XDG_CONFIG_HOME", home.toString()));
        var session = new Credentials.Session("http://localhost:4000", "admin", "ADMIN", "access", 2_000_000_000L,
                "refresh", "2030-01-01T00:00:00Z");

        credentials.write(session);

        Path file = home.resolve("mamos").resolve("credentials.json");
        assertThat(credentials.file()).isEqualTo(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        assertThat(credentials.read()).contains(session);
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString()))
                .as("no temporary file left behind").containsExactly("credentials.json");
    }

    @Test
    void accessTokenCloseToItsExpiryIsNotValid() {
        long now = java.time.Instant.now().getEpochSecond();
        var session = new Credentials.Session("s", "u", null, "a", now + 20, "r", null);

        assertThat(session.accessTokenValidFor(30)).isFalse();
        assertThat(session.accessTokenValidFor(5)).isTrue();
    }

    @Test
    void withoutXdgConfigHomeTheFolderIsUnderDotConfig() {
        assertThat(Credentials.ofUser(Map.of()).file())
                .isEqualTo(Path.of(System.getProperty("user.home"), ".config", "mamos", "credentials.json"));
    }
}
