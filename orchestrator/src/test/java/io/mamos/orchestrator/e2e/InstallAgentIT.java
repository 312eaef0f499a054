package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@code scripts/install_agent.sh} run for real, without root, with {@code --prefix} into a
 * temporary folder against a running stack: the installed agent enrolls, comes ONLINE and
 * runs a job; {@code --uninstall} removes what was installed.
 */
class InstallAgentIT {

    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);
    private static final Duration AGENT_ONLINE = Duration.ofSeconds(90);
    private static final Duration JOB_END = Duration.ofSeconds(60);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent();

    private static Path prefix;
    private static Path logDir;
    private static LoggedProcess installedAgent;

    @BeforeAll
    static void createPrefix() throws IOException {
        logDir = Path.of("target", "e2e").toAbsolutePath();
        Files.createDirectories(logDir);
        prefix = Files.createTempDirectory(logDir, "install-agent-prefix-");
    }

    @AfterAll
    static void stopInstalledAgent() {
        if (installedAgent != null) {
            installedAgent.stop();
        }
    }

    @Test
    void installedAgentEnrollsComesOnlineRunsAJobAndUninstallRemovesIt() throws IOException {
        Path config = prefix.resolve("etc/mamos-agent/agent.properties");
        Path launcher = prefix.resolve("bin/mamos-agent");

        // 1. Install and enroll (the token through the environment, as the script prefers).
        int installed = script("install", Map.of("MAMOS_AGENT_TOKEN", mamos.api().createEnrollmentToken()),
                "--server", mamos.orchestrator().baseUrl(), "--no-start");
        assertThat(installed).as("install_agent.sh --no-start exit code; log %s", log("install")).isZero();
        assertThat(Files.isExecutable(launcher)).as("launcher %s", launcher).isTrue();
        assertThat(Files.isRegularFile(prefix.resolve("lib/mamos-agent/mamos-agent.jar"))).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config))).isEqualTo("rw-------");
        String agentId = agentIdIn(config);
        assertThat(mamos.api().get("/api/v1/agents/" + agentId).expect(200).path("status").asString())
                .isEqualTo("ENROLLED");

        // 2. Running it again is idempotent: no new token, same identity, nothing rewritten.
        int again = script("install-again", Map.of(), "--no-start");
        assertThat(again).as("second install_agent.sh exit code; log %s", log("install-again")).isZero();
        assertThat(agentIdIn(config)).isEqualTo(agentId);
        assertThat(Files.readString(log("install-again"))).contains("Already enrolled").doesNotContain("wrote ");

        // 3. The script in the foreground becomes the agent (exec), a process the test can stop.
        installedAgent = LoggedProcess.start("installed agent",
                command("--foreground", "--metrics-address", "127.0.0.1:" + FreePorts.next()),
                Map.of(), prefix, log("agent"));
        JsonNode online = Poll.until("agent " + agentId + " to be ONLINE", AGENT_ONLINE, () -> {
            if (!installedAgent.isAlive()) {
                throw new AssertionError("the installed agent exited" + System.lineSeparator() + installedAgent.tail(60));
            }
            return mamos.api().get("/api/v1/agents/" + agentId).expect(200);
        }, agent -> "ONLINE".equals(agent.path("status").asString()));
        assertThat(online.path("status").asString()).isEqualTo("ONLINE");

        String jobId = mamos.api().submitAcceptedJob(agentId, "echo", List.of("installed"), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("stdout").asString()).isEqualTo("installed\n");

        // 4. Uninstall removes launcher, jar, config and work dir, leaving the prefix itself.
        installedAgent.stop();
        int uninstalled = script("uninstall", Map.of(), "--uninstall");
        assertThat(uninstalled).as("install_agent.sh --uninstall exit code; log %s", log("uninstall")).isZero();
        assertThat(prefix).isDirectory().isEmptyDirectory();
    }

    /** Runs install_agent.sh with {@code --prefix} and the test's agent jar to its end. */
    private static int script(String name, Map<String, String> env, String... args) {
        return LoggedProcess.run("install_agent.sh " + name, command(args), env, prefix, log(name), SCRIPT_TIMEOUT);
    }

    private static List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("bash", installScript().toString(),
                "--prefix", prefix.toString(), "--jar", Jars.agent().toString()));
        command.addAll(List.of(args));
        return command;
    }

    private static Path installScript() {
        Path script = Jars.agent().getParent().resolve("../../scripts/install_agent.sh").normalize();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("missing " + script);
        }
        return script;
    }

    private static Path log(String name) {
        return logDir.resolve(prefix.getFileName() + "-" + name + ".log");
    }

    private static String agentIdIn(Path config) throws IOException {
        return Files.readAllLines(config).stream()
                .filter(line -> line.startsWith("agent.id="))
                .map(line -> line.substring("agent.id=".length()).trim())
                .findFirst()
                .orElseThrow(() -> new AssertionError("no agent.id in " + config));
    }
}
