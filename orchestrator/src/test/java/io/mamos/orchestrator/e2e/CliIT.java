package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The operator CLI {@code mamos} against a real stack with two real agents: {@code cli-a} runs
 * everything the default allowlist has, {@code cli-b}'s own allowlist lacks {@code uname}, so a
 * {@code uname} job fails on exactly one of them.
 */
class CliIT {

    private static final Duration CLI_END = Duration.ofSeconds(120);
    private static final String SELECTOR = "e2e=cli";

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent();

    private static MamosStack.ExtraAgent a;
    private static MamosStack.ExtraAgent b;
    private static Path home;

    @BeforeAll
    static void startTwoAgentsAndLogIn() throws Exception {
        a = mamos.startExtraAgent("cli-a", Map.of("e2e", "cli"));
        b = mamos.startExtraAgent("cli-b", Map.of("e2e", "cli"), Map.of("MAMOS_AGENT_ALLOW",
                "/usr/bin/echo,/usr/bin/sleep,/usr/bin/vmstat"));
        Poll.until("both agents ONLINE", Duration.ofSeconds(60),
                () -> mamos.api().get("/api/v1/agents?status=ONLINE").expect(200).path("items").size() == 2);
        home = mamos.dir().resolve("cli-home");
        CliProcess login = login(home);
        assertThat(login.exitCode()).as("%s", login).isZero();
    }

    @Test
    void loginKeepsTheSessionInAFileOnlyItsOwnerCanRead() throws Exception {
        Path file = home.resolve("mamos").resolve("credentials.json");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode session = Json.read(Files.readString(file));
        assertThat(session.path("server").asString()).isEqualTo(mamos.orchestrator().baseUrl());
        assertThat(session.path("username").asString()).isEqualTo("admin");
        assertThat(session.path("refreshToken").asString()).isNotBlank();
        assertThat(Files.readString(file)).doesNotContain(mamos.orchestrator().adminPassword());
    }

    @Test
    void runOnTwoAgentsStreamsBothOutputsAndExitsZero() {
        CliProcess run = mamos("run", "-l", SELECTOR, "--", "echo", "hello", "from", "mamos");

        assertThat(run.exitCode()).as("%s", run).isZero();
        assertThat(run.stdout()).contains("cli-a | hello from mamos").contains("cli-b | hello from mamos");
        assertThat(run.stdout()).containsPattern("cli-a\\s+" + a.id() + "\\s+SUCCEEDED\\s+0")
                .containsPattern("cli-b\\s+" + b.id() + "\\s+SUCCEEDED\\s+0")
                .contains("SUCCEEDED: 2 SUCCEEDED");
    }

    @Test
    void outputArrivesWhileTheCommandsStillRun() {
        CliProcess run = CliProcess.start(mamos.dir(), home, null, "run", "-a", "cli-a,cli-b", "--", "vmstat", "1",
                "90");
        try {
            // vmstat prints a line a second; both hosts' lines show long before its 90 s are up.
            Poll.until("both hosts' vmstat lines in the CLI's output", Duration.ofSeconds(45),
                    () -> run.stdout().contains("cli-a | ") && run.stdout().contains("cli-b | "));
            assertThat(run.stdout()).contains("free");
            String jobId = newestJobId();
            assertThat(mamos.api().job(jobId).path("state").asString()).isEqualTo("RUNNING");
            mamos.api().post("/api/v1/jobs/" + jobId + "/cancel", null).expect(202);
            assertThat(run.awaitExit(CLI_END)).as("%s", run).isEqualTo(3);
        } finally {
            run.destroy();
        }
    }

    @Test
    void runExitsNonZeroWhenOneRunFails() {
        CliProcess run = mamos("run", "-l", SELECTOR, "--", "uname", "-s");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(3);
        assertThat(run.stdout()).contains("cli-a | Linux");
        assertThat(run.stdout()).containsPattern("cli-a\\s+\\S+\\s+SUCCEEDED")
                .containsPattern("cli-b\\s+\\S+\\s+REFUSED");
    }

    @Test
    void jsonOutputIsTheJobAndItsRuns() {
        CliProcess run = mamos("run", "--json", "-l", SELECTOR, "--", "echo", "json");

        assertThat(run.exitCode()).as("%s", run).isZero();
        JsonNode result = Json.read(run.stdout());
        assertThat(result.path("job").path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(result.path("runs").size()).isEqualTo(2);
        for (JsonNode r : result.path("runs")) {
            assertThat(r.path("stdout").asString()).isEqualTo("json\n");
        }
        CliProcess jobs = mamos("jobs", "ls", "--json");
        assertThat(Json.read(jobs.stdout()).path("items").get(0).path("id").asString())
                .isEqualTo(result.path("job").path("id").asString());
    }

    @Test
    void ctrlCOnARunCancelsTheJobAndKillsTheProcessTrees() {
        CliProcess run = CliProcess.start(mamos.dir(), home, null, "run", "-l", SELECTOR, "--", "sleep", "300");
        try {
            Poll.until("a sleep under each agent", Duration.ofSeconds(45),
                    () -> !sleeps(a).isEmpty() && !sleeps(b).isEmpty());
            Set<Long> pids = sleeps(a);
            pids.addAll(sleeps(b));

            run.interrupt(); // no terminal: the first Ctrl-C cancels the job

            assertThat(run.awaitExit(Duration.ofSeconds(60))).as("%s", run).isEqualTo(3);
            assertThat(run.stderr()).contains("Cancelling job");
            assertThat(run.stdout()).contains("CANCELED");
            Poll.until("the sleep processes " + pids + " to be gone", Duration.ofSeconds(10),
                    () -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
                            .orElse(false)));
        } finally {
            run.destroy();
        }
    }

    @Test
    void jobsCancelFromTheCliStopsARunningJob() {
        CliProcess submitted = mamos("run", "--detach", "-a", "cli-a", "--", "sleep", "300");
        String jobId = submitted.stdout().strip();
        Poll.until("a sleep under cli-a", Duration.ofSeconds(45), () -> !sleeps(a).isEmpty());
        Set<Long> pids = sleeps(a);

        CliProcess cancel = mamos("jobs", "cancel", jobId);
        CliProcess watch = mamos("jobs", "watch", jobId);

        assertThat(cancel.exitCode()).as("%s", cancel).isZero();
        assertThat(watch.exitCode()).as("%s", watch).isEqualTo(3);
        assertThat(watch.stdout()).contains("CANCELED");
        Poll.until("the sleep processes " + pids + " to be gone", Duration.ofSeconds(10),
                () -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void anExpiredOrRefusedAccessTokenIsRefreshedAndTheRefreshTokenRotates() throws Exception {
        Path ownHome = mamos.dir().resolve("cli-home-refresh");
        assertThat(login(ownHome).exitCode()).isZero();
        Path file = ownHome.resolve("mamos").resolve("credentials.json");
        String firstRefresh = Json.read(Files.readString(file)).path("refreshToken").asString();

        // Expired: refreshed before the request.
        Files.writeString(file, Files.readString(file).replaceAll("\"accessTokenExpiresAt\"\\s*:\\s*\\d+",
                "\"accessTokenExpiresAt\" : 0"));
        CliProcess agents = CliProcess.run(mamos.dir(), ownHome, null, "agents", "ls");
        assertThat(agents.exitCode()).as("%s", agents).isZero();
        assertThat(agents.stdout()).contains("cli-a").contains("cli-b");
        JsonNode refreshed = Json.read(Files.readString(file));
        assertThat(refreshed.path("refreshToken").asString()).isNotEqualTo(firstRefresh);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");

        // Refused though not expired (e.g. revoked): one refresh, then the request again.
        String secondRefresh = refreshed.path("refreshToken").asString();
        Files.writeString(file, Files.readString(file).replace(refreshed.path("accessToken").asString(), "garbage"));
        CliProcess commands = CliProcess.run(mamos.dir(), ownHome, null, "commands");
        assertThat(commands.exitCode()).as("%s", commands).isZero();
        assertThat(commands.stdout()).contains("vmstat");
        assertThat(Json.read(Files.readString(file)).path("refreshToken").asString())
                .isNotEqualTo(secondRefresh);

        CliProcess logout = CliProcess.run(mamos.dir(), ownHome, null, "logout");
        assertThat(logout.exitCode()).as("%s", logout).isZero();
        assertThat(file).doesNotExist();
        CliProcess afterLogout = CliProcess.run(mamos.dir(), ownHome, null, "jobs", "ls");
        assertThat(afterLogout.exitCode()).isEqualTo(5);
        assertThat(afterLogout.stderr()).contains("mamos login");
    }

    @Test
    void aRefusedRequestIsSaidPlainlyWithItsExitCode() {
        CliProcess run = mamos("run", "--all", "--", "rm", "-rf", "/");

        assertThat(run.exitCode()).as("%s", run).isEqualTo(8);
        assertThat(run.stderr()).startsWith("mamos: ").contains("rm").doesNotContain("Exception");
        CliProcess missing = mamos("jobs", "show", "no-such-job");
        assertThat(missing.exitCode()).as("%s", missing).isEqualTo(7);
    }

    private static CliProcess login(Path configHome) {
        return CliProcess.run(mamos.dir(), configHome, mamos.orchestrator().adminPassword() + "\n", "login",
                "--server", mamos.orchestrator().baseUrl(), "--user", "admin", "--password-stdin");
    }

    private static CliProcess mamos(String... args) {
        return CliProcess.run(mamos.dir(), home, null, args);
    }

    private static String newestJobId() {
        return mamos.api().get("/api/v1/jobs?size=1").expect(200).path("items").get(0).path("id").asString();
    }

    /** sleep processes below the agent's process. */
    private static Set<Long> sleeps(MamosStack.ExtraAgent agent) {
        return ProcessHandle.of(agent.process().process().pid()).stream()
                .flatMap(ProcessHandle::descendants)
                .filter(child -> child.info().command().map(command -> command.endsWith("/sleep")).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
