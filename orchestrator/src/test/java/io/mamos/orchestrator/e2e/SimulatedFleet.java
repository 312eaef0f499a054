package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * N agents of one {@code mamos-agent simulate} process, each enrolled for real with its own queue
 * through the stack's orchestrator; each command it is sent is logged (queue, job), never run.
 */
final class SimulatedFleet implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    private final Path stateDir;
    private final LoggedProcess process;
    private final Set<String> agentIds;

    private SimulatedFleet(Path stateDir, LoggedProcess process, Set<String> agentIds) {
        this.stateDir = stateDir;
        this.process = process;
        this.agentIds = agentIds;
    }

    /** Enrolls and starts {@code count} agents and waits until the orchestrator sees all ONLINE. */
    static SimulatedFleet start(MamosStack mamos, int count) throws IOException {
        Path dir = mamos.dir();
        Path stateDir = dir.resolve("simulated");
        LoggedProcess process = LoggedProcess.start("simulate", List.of(Jars.java(), Jars.tmpDir(dir),
                "-XX:TieredStopAtLevel=1", "-jar", Jars.agent().toString(), "simulate",
                "--server", mamos.orchestrator().baseUrl(),
                "--admin-password-file", mamos.orchestratorDataDir().resolve("admin-password").toString(),
                "--count", String.valueOf(count), "--state-dir", stateDir.toString(), "--hostname-prefix", "sim"),
                Map.of(), dir, dir.resolve("simulate.log"));
        try {
            Poll.until(count + " simulated agents enrolled and polling", READY, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("mamos-agent simulate exited" + System.lineSeparator() + process.tail(40));
                }
                return Files.exists(stateDir.resolve("ready"));
            });
            Set<String> ids = Set.copyOf(Files.readAllLines(stateDir.resolve("agents.txt")));
            Poll.until("all " + count + " agents ONLINE", READY, () -> mamos.api()
                    .get("/api/v1/agents?status=ONLINE").expect(200).path("items").size() == count);
            return new SimulatedFleet(stateDir, process, ids);
        } catch (IOException | RuntimeException | Error e) {
            process.stop();
            throw e;
        }
    }

    Set<String> agentIds() {
        return agentIds;
    }

    /** How many times each simulated agent (by its queue) was sent this job's command. */
    Map<String, Long> executionsPerQueue(String jobId) {
        Path log = stateDir.resolve("executions.log");
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return lines.stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length == 2 && fields[1].equals(jobId))
                    .collect(Collectors.groupingBy(fields -> fields[0], Collectors.counting()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The agents (ids) this job's command was sent to, from their queues' names. */
    Set<String> executedOn(String jobId) {
        return executionsPerQueue(jobId).keySet().stream()
                .map(queue -> queue.substring("mamos-agent-".length()))
                .collect(Collectors.toSet());
    }

    /** How many of the job's runs are in a final state. */
    static long ended(ApiClient api, String jobId) {
        return api.runs(jobId).stream()
                .filter(run -> JobStates.TERMINAL.contains(run.path("state").asString()))
                .count();
    }

    /**
     * Waits for the job's end and checks it ran on every agent of the fleet exactly once: one run
     * per agent, each SUCCEEDED on its first attempt with the simulated output of {@code commandLine},
     * and each agent sent the command once (nothing re-sent by a restart or another replica).
     */
    void assertEveryAgentRanItOnce(ApiClient api, String jobId, String commandLine) {
        int count = agentIds.size();
        JsonNode job = api.awaitJobEnd(jobId, Duration.ofSeconds(180));
        List<JsonNode> runs = api.runs(jobId);
        List<JsonNode> unsuccessful = runs.stream()
                .filter(run -> !"SUCCEEDED".equals(run.path("state").asString()))
                .toList();
        assertThat(job.path("state").asString()).as("job %s; runs that did not succeed: %s", job, unsuccessful)
                .isEqualTo("SUCCEEDED");
        assertThat(job.path("runCount").asInt()).isEqualTo(count);
        int total = 0;
        for (JsonNode n : job.path("summary")) {
            total += n.asInt();
        }
        assertThat(total).as("summary %s", job.path("summary")).isEqualTo(count);
        assertThat(job.path("summary").path("SUCCEEDED").asInt()).isEqualTo(count);
        // One run row per agent, no agent twice, every run ended once on its first attempt.
        assertThat(runs).hasSize(count);
        assertThat(runs.stream().map(run -> run.path("agentId").asString()).collect(Collectors.toSet()))
                .isEqualTo(agentIds);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.path("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(run.path("attempt").asInt()).isEqualTo(1);
            assertThat(run.path("stdout").asString()).isEqualTo("[simulated, nothing executed] " + commandLine + "\n");
        });
        Map<String, Long> executions = executionsPerQueue(jobId);
        assertThat(executions).hasSize(count);
        assertThat(executions.values()).allSatisfy(n -> assertThat(n).isEqualTo(1L));
        assertThat(executedOn(jobId)).isEqualTo(agentIds);
    }

    @Override
    public void close() {
        process.stop();
    }
}
