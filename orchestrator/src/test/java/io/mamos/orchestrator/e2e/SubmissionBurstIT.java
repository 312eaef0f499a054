package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A burst of concurrent submissions to one real agent (4 command slots), all of them busy with a
 * longer command when it starts: every job is in the store and in Temporal, once, ends SUCCEEDED,
 * and the agent ran each command exactly once, as its own log of executions says.
 */
class SubmissionBurstIT {

    private static final int JOBS = 2_000;
    private static final int CLIENTS = 16;
    /**
     * Each run's wait for an offline agent, far shorter than the burst takes to drain (the agent
     * runs a few commands at a time, so the last ones wait minutes): the agent stays online, and a
     * backlog on a busy agent must not read as an offline agent. Runs wait their turn past it.
     */
    private static final int OFFLINE_WAIT_SECONDS = 30;
    /**
     * Commands that hold every command slot of the agent for longer than the offline wait as the
     * burst starts, so the burst's first commands wait past it whatever the machine's speed.
     */
    private static final int BLOCKERS = 4;
    private static final int BLOCKER_SECONDS = OFFLINE_WAIT_SECONDS + 15;
    /** What the agent logs as it starts a command's process: {@code job <id> running ...}. */
    private static final Pattern EXECUTION = Pattern.compile("job (\\S+) running ");

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void burstOfSubmissionsLosesAndDuplicatesNothing() throws Exception {
        Set<String> blockers = new HashSet<>();
        for (int i = 0; i < BLOCKERS; i++) {
            blockers.add(mamos.api().submitAcceptedJob(mamos.agentId(), "sleep",
                    List.of(String.valueOf(BLOCKER_SECONDS)), BLOCKER_SECONDS * 3));
        }
        Poll.until("every command slot busy", Duration.ofSeconds(60), () -> blockers.stream().allMatch(id ->
                mamos.api().get("/api/v1/jobs/" + id).expect(200).path("state").asString().equals("RUNNING")));
        long startedNanos = System.nanoTime();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<String>> submissions = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String marker = "burst-" + i;
            submissions.add(clients.submit(() -> mamos.api().post("/api/v1/jobs", Map.of(
                    "agentId", mamos.agentId(), "command", "echo", "args", List.of(marker), "timeoutSeconds", 60,
                    "offlineWaitSeconds", OFFLINE_WAIT_SECONDS)).expect(202).path("id").asString()));
        }
        Set<String> accepted = new HashSet<>();
        for (Future<String> submission : submissions) {
            accepted.add(submission.get());
        }
        clients.shutdown();
        long submittedNanos = System.nanoTime();

        awaitAllEnded(JOBS + BLOCKERS, Duration.ofMinutes(10));
        long endedNanos = System.nanoTime();
        System.err.printf("[e2e] burst: %d jobs submitted in %d ms, all ended %d ms later (%.1f jobs/s)%n", JOBS,
                (submittedNanos - startedNanos) / 1_000_000, (endedNanos - submittedNanos) / 1_000_000,
                JOBS * 1e9 / (endedNanos - startedNanos));

        Set<String> stored = new HashSet<>();
        Set<String> markers = new HashSet<>();
        int pages = (JOBS + BLOCKERS + 199) / 200 + 1;
        for (int page = 0; page < pages; page++) {
            mamos.api().get("/api/v1/jobs?page=" + page + "&size=200").expect(200).path("items").forEach(job -> {
                stored.add(job.path("id").asString());
                assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
                if (accepted.contains(job.path("id").asString())) {
                    markers.add(job.path("stdout").asString().strip());
                }
            });
        }
        Set<String> all = new HashSet<>(accepted);
        all.addAll(blockers);
        Set<String> workflows = new HashSet<>(mamos.temporal().workflowIds());
        Map<String, Long> executions = mamos.agent().logLines(EXECUTION).stream()
                .collect(Collectors.groupingBy(match -> match, Collectors.counting()));

        assertThat(accepted).hasSize(JOBS);
        assertThat(stored).isEqualTo(all);
        assertThat(markers).hasSize(JOBS);
        for (String jobId : accepted) {
            assertThat(workflows).contains("job-" + jobId);
        }
        assertThat(workflows.stream().filter(id -> id.startsWith("job-")).count()).isEqualTo(JOBS + BLOCKERS);
        assertThat(executions.keySet()).as("jobs the agent ran").isEqualTo(all);
        assertThat(executions.entrySet()).as("jobs the agent ran more than once")
                .filteredOn(execution -> execution.getValue() != 1).isEmpty();
        // The burst's first commands waited past the offline wait: they were waited on for the
        // busy, online agent.
        long waitedOn = Files.readAllLines(mamos.orchestrator().process().logFile()).stream()
                .filter(line -> line.contains("while the agent is online; waiting on")).count();
        System.err.printf("[e2e] burst: %d times a run waited on past its %ds offline wait%n", waitedOn,
                OFFLINE_WAIT_SECONDS);
        assertThat(waitedOn).as("runs that waited past the offline wait for the busy agent").isPositive();
    }

    /** Polls the job list every few seconds (each poll reads every page) until every job ended. */
    private void awaitAllEnded(int jobs, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long finished = 0;
        while (System.nanoTime() - deadline < 0) {
            finished = finishedJobs(jobs);
            if (finished >= jobs) {
                return;
            }
            Poll.sleep(Duration.ofSeconds(3));
        }
        throw new AssertionError("only " + finished + " of " + jobs + " jobs ended within " + timeout.toSeconds() + "s");
    }

    private long finishedJobs(int jobs) {
        JsonNode page = mamos.api().get("/api/v1/jobs?page=0&size=200").expect(200);
        long total = page.path("total").asLong();
        if (total < jobs) {
            return 0;
        }
        long finished = 0;
        for (int p = 0; p * 200L < total; p++) {
            for (JsonNode job : mamos.api().get("/api/v1/jobs?page=" + p + "&size=200").expect(200).path("items")) {
                if (JobStates.TERMINAL.contains(job.path("state").asString())) {
                    finished++;
                }
            }
        }
        return finished;
    }
}
