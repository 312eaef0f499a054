package io.mamos.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.agent.execution.Allowlist;
import io.mamos.agent.execution.TestOrchestratorKey;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigFileTest {

    private static final AgentConfig CONFIG = new AgentConfig(URI.create("http://localhost:4000"), "agent-7",
            "s3cr3t-credential", "mamos-agent-agent-7", "localhost:7233", false, "default",
            Allowlist.parse("/usr/bin/echo,/usr/bin/date"), new TestOrchestratorKey().publicKeyBase64());

    @TempDir
    Path dir;

    @Test
    void writesAnOwnerOnlyFileInOwnerOnlyFolders() throws Exception {
        Path file = dir.resolve("data/agent/agent.properties");

        AgentConfigFile.write(file, CONFIG);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data/agent"))))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data"))))
                .isEqualTo("rwx------");
    }

    @Test
    void roundTrips() {
        Path file = dir.resolve("agent.properties");

        AgentConfigFile.write(file, CONFIG);

        assertThat(AgentConfigFile.read(file)).isEqualTo(CONFIG);
    }

    @Test
    void roundTripsValuesThatNeedEscaping() {
        AgentConfig odd = new AgentConfig(URI.create("https://orchestrator.example:4443/base"), "a=b:c",
                " leading space\\back#slash\nnew line", "queue", "temporal:7233", true, "ns", Allowlist.parse("/opt/x y/z"),
                null);
        Path file = dir.resolve("agent.properties");

        AgentConfigFile.write(file, odd);

        assertThat(AgentConfigFile.read(file)).isEqualTo(odd);
    }

    @Test
    void replacesAnExistingFileWithAnOwnerOnlyOneAndLeavesNoTemporaryFile() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AgentConfigFile.write(file, CONFIG);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void documentsEveryKey() throws Exception {
        Path file = dir.resolve("agent.properties");

        AgentConfigFile.write(file, CONFIG);

        assertThat(Files.readString(file))
                .contains("# Orchestrator base URL", "server.url=http://localhost:4000", "agent.id=agent-7",
                        "agent.credential=s3cr3t-credential", "task.queue=mamos-agent-agent-7",
                        "temporal.target=localhost:7233", "temporal.namespace=default",
                        "allow=/usr/bin/date,/usr/bin/echo");
    }

    @Test
    void refusesAFileLackingAKey() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(file, "server.url=http://localhost:4000\nagent.id=a\n");

        assertThatThrownBy(() -> AgentConfigFile.read(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("agent.credential");
    }

    @Test
    void explainsAMissingFile() {
        assertThatThrownBy(() -> AgentConfigFile.read(dir.resolve("absent.properties")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mamos-agent enroll");
    }

    @Test
    void keepsTheCredentialOutOfToString() {
        assertThat(CONFIG.toString()).doesNotContain("s3cr3t").contains("agent-7");
    }
}
