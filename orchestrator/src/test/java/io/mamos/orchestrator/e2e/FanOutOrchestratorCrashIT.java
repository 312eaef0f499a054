package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * kill -9 of the orchestrator in the middle of a job fanned out to 100 agents (simulated: one
 * {@code mamos-agent simulate} process, each agent enrolled for real with its own queue), then a
 * restart: every run is accounted for exactly once, in the store and on the agents. In the
 * production topology: the store on PostgreSQL, the agent gateway a process of its own
 * (OrchestratorCrashIT kills an orchestrator on the SQLite store).
 */
class FanOutOrchestratorCrashIT {

    private static final int AGENTS = 100;

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent().withSeparateGateway().withPostgresStore();

    private static Path stateDir;
    private static LoggedProcess simulator;
    private static Set<String> agentIds;

    @BeforeAll
    static void startSimulatedFleet() throws IOException {
        Path dir = mamos.orchestratorDataDir().getParent();
        stateDir = dir.resolve("simulated");
        simulator = LoggedProcess.start("simulate", List.of(Jars.java(), Jars.tmpDir(dir), "-XX:TieredStopAtLevel=1",
                "-jar",
                Jars.agent().toString(), "simulate", "--server", mamos.orchestrator().baseUrl(),
                "--admin-password-file", mamos.orchestratorDataDir().resolve("admin-password").toString(),
                "--count", String.valueOf(AGENTS), "--state-dir", stateDir.toString(), "--hostname-prefix", "sim"),
                Map.of(), dir, dir.resolve("simulate.log"));
        Poll.until(AGENTS + " simulated agents enrolled and polling", Duration.ofSeconds(180), () -> {
            if (!simulator.isAlive()) {
                throw new AssertionError("mamos-agent simulate exited" + System.lineSeparator() + simulator.tail(40));
            }
            return Files.exists(stateDir.resolve("ready"));
        });
        agentIds = Set.copyOf(Files.readAllLines(stateDir.resolve("agents.txt")));
        Poll.until("all " + AGENTS + " agents ONLINE", Duration.ofSeconds(180), () -> mamos.api()
                .get("/api/v1/agents?status=ONLINE").expect(200).path("items").size() == AGENTS);
    }

    @AfterAll
    static void stopSimulatedFleet() {
        if (simulator != null) {
            simulator.stop();
        }
    }

    @Test
    void orchestratorKilledMidFanOutAccountsForEveryRunExactlyOnce() throws IOException {
        String jobId = mamos.api().post("/api/v1/jobs", Map.of(
                "targets", Map.of("all", true), "command", "echo", "args", List.of("fan-out"),
                "timeoutSeconds", 60, "concurrency", 10)).expect(202).path("id").asString();
        long endedAtKill = Poll.until("some runs ended", Duration.ofSeconds(120), () -> ended(jobId), n -> n >= 10);
        mamos.orchestrator().kill();
        assertThat(endedAtKill).as("runs ended when the orchestrator was killed").isLessThan(AGENTS);
        Poll.sleep(Duration.ofSeconds(3));
        mamos.restartOrchestrator();

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(180));
        List<JsonNode> runs = mamos.api().runs(jobId);
        Map<String, Long> executions = executionsPerQueue(jobId);

        System.err.printf("[e2e] fan-out: %d of %d runs ended when the orchestrator was killed%n", endedAtKill, AGENTS);
        List<JsonNode> unsuccessful = runs.stream()
                .filter(run -> !"SUCCEEDED".equals(run.path("state").asString()))
                .toList();
        assertThat(job.path("state").asString()).as("job %s; runs that did not succeed: %s", job, unsuccessful)
                .isEqualTo("SUCCEEDED");
        assertThat(job.path("runCount").asInt()).isEqualTo(AGENTS);
        assertThat(sum(job.path("summary"))).as("summary %s", job.path("summary")).isEqualTo(AGENTS);
        assertThat(job.path("summary").path("SUCCEEDED").asInt()).isEqualTo(AGENTS);
        // One run row per agent, no agent twice, every run ended once on its first attempt.
        assertThat(runs).hasSize(AGENTS);
        assertThat(runs.stream().map(run -> run.path("agentId").asString()).collect(Collectors.toSet()))
                .isEqualTo(agentIds);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.path("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(run.path("attempt").asInt()).isEqualTo(1);
            assertThat(run.path("stdout").asString()).isEqualTo("[simulated, nothing executed] echo fan-out\n");
        });
        // Each agent was sent the command exactly once: the restart re-sent nothing.
        assertThat(executions).hasSize(AGENTS);
        assertThat(executions.values()).allSatisfy(count -> assertThat(count).isEqualTo(1L));
        Set<String> executedOn = executions.keySet().stream()
                .map(queue -> queue.substring("mamos-agent-".length()))
                .collect(Collectors.toSet());
        assertThat(executedOn).isEqualTo(agentIds);
        // All of it was the PostgreSQL store's doing: no SQLite file was ever created.
        assertThat(mamos.orchestratorDataDir().resolve("mamos.db")).doesNotExist();
    }

    private static long ended(String jobId) {
        return mamos.api().runs(jobId).stream()
                .filter(run -> JobStates.TERMINAL.contains(run.path("state").asString()))
                .count();
    }

    private static int sum(JsonNode summary) {
        int total = 0;
        for (JsonNode count : summary) {
            total += count.asInt();
        }
        return total;
    }

    /** How many times each simulated agent (by its queue) was sent this job's command. */
    private static Map<String, Long> executionsPerQueue(String jobId) throws IOException {
        Path log = stateDir.resolve("executions.log");
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return lines.stream()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length == 2 && fields[1].equals(jobId))
                .collect(Collectors.groupingBy(fields -> fields[0], Collectors.counting()));
    }
}
