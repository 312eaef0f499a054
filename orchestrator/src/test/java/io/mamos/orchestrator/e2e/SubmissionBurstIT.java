package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** A burst of concurrent submissions: every job is in the store and in Temporal, once, and ends. */
class SubmissionBurstIT {

    private static final int JOBS = 500;
    private static final int CLIENTS = 16;

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void burstOfSubmissionsLosesAndDuplicatesNothing() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<String>> submissions = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String marker = "burst-" + i;
            // The agent drains 500 commands a few at a time: each may wait its turn up to 5 minutes
            // instead of the stack's short agent wait, so a slow machine does not read as an offline agent.
            submissions.add(clients.submit(() -> mamos.api().post("/api/v1/jobs", java.util.Map.of(
                    "agentId", mamos.agentId(), "command", "echo", "args", List.of(marker), "timeoutSeconds", 60,
                    "offlineWaitSeconds", 300)).expect(202).path("id").asString()));
        }
        Set<String> accepted = new HashSet<>();
        for (Future<String> submission : submissions) {
            accepted.add(submission.get());
        }
        clients.shutdown();

        Poll.until("all " + JOBS + " jobs to end", Duration.ofMinutes(5), () -> finishedJobs() >= JOBS);

        Set<String> stored = new HashSet<>();
        Set<String> markers = new HashSet<>();
        int pages = (JOBS + 199) / 200 + 1;
        for (int page = 0; page < pages; page++) {
            mamos.api().get("/api/v1/jobs?page=" + page + "&size=200").expect(200).path("items").forEach(job -> {
                stored.add(job.path("id").asString());
                assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
                markers.add(job.path("stdout").asString().strip());
            });
        }
        Set<String> workflows = new HashSet<>(mamos.temporal().workflowIds());

        assertThat(accepted).hasSize(JOBS);
        assertThat(stored).isEqualTo(accepted);
        assertThat(markers).hasSize(JOBS);
        for (String jobId : accepted) {
            assertThat(workflows).contains("job-" + jobId);
        }
        assertThat(workflows.stream().filter(id -> id.startsWith("job-")).count()).isEqualTo(JOBS);
    }

    private long finishedJobs() {
        JsonNode page = mamos.api().get("/api/v1/jobs?page=0&size=200").expect(200);
        long total = page.path("total").asLong();
        if (total < JOBS) {
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
