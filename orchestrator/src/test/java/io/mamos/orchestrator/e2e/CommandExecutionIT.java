package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Jobs from the API to an agent's process and back: only whitelisted commands, run without a shell. */
class CommandExecutionIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void whitelistedCommandRunsAndItsOutputAndExitCodeAreStored() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of("hello"), 30);

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("stdout").asString()).isEqualTo("hello\n");
        assertThat(job.path("exitCode").asInt(-1)).isZero();
        assertThat(job.path("finishedAt").asString()).isNotBlank();
    }

    @Test
    void nonZeroExitIsReportedAsFailedWithItsExitCode() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "false", List.of(), 30);

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("FAILED");
        assertThat(job.path("exitCode").asInt(-1)).isEqualTo(1);
    }

    @Test
    void commandOutsideTheWhitelistIsRefusedAndNeverReachesTemporal() {
        List<String> workflowsBefore = mamos.temporal().workflowIds();
        long jobsBefore = mamos.api().jobCount();

        ApiResponse refused = mamos.api().submitJob(mamos.agentId(), "rm", List.of("-rf", "/tmp/mamos-e2e"), 30);

        assertThat(refused.status()).as("POST /api/v1/jobs rm: %s", refused).isEqualTo(422);
        assertThat(refused.isProblem()).as("problem+json: %s", refused).isTrue();
        assertThat(mamos.api().jobCount()).isEqualTo(jobsBefore);
        assertThat(mamos.temporal().workflowIds()).containsExactlyInAnyOrderElementsOf(workflowsBefore);
    }

    @Test
    void argumentsOutsideTheCommandsPolicyAreRefused() {
        long jobsBefore = mamos.api().jobCount();

        ApiResponse refused = mamos.api().submitJob(mamos.agentId(), "cat", List.of("/etc/shadow"), 30);

        assertThat(refused.status()).as("POST /api/v1/jobs cat /etc/shadow: %s", refused).isEqualTo(422);
        assertThat(refused.isProblem()).as("problem+json: %s", refused).isTrue();
        assertThat(mamos.api().jobCount()).isEqualTo(jobsBefore);
    }

    @Test
    void shellMetacharactersInArgumentsArePassedLiterally() {
        String hostile = "$(id); rm -rf / | cat `x`";
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of(hostile), 30);

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("stdout").asString()).isEqualTo(hostile + "\n");
    }

    @Test
    void runningCommandShowsGrowingElapsedTimeAndPartialOutput() {
        // vmstat prints a line a second: 8 lines over ~7 s.
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "vmstat", List.of("1", "8"), 60);
        JsonNode first = Poll.until("job " + jobId + " to show partial output", Duration.ofSeconds(30),
                () -> mamos.api().job(jobId),
                job -> !job.path("progress").isNull() && job.path("progress").path("outputBytes").asLong() > 0);

        JsonNode later = Poll.until("job " + jobId + " to show more output", Duration.ofSeconds(30),
                () -> mamos.api().job(jobId),
                job -> !job.path("progress").isNull() && job.path("progress").path("outputBytes").asLong()
                        > first.path("progress").path("outputBytes").asLong());

        assertThat(first.path("state").asString()).isEqualTo("RUNNING");
        assertThat(later.path("state").asString()).isEqualTo("RUNNING");
        assertThat(later.path("progress").path("elapsedMillis").asLong())
                .isGreaterThan(first.path("progress").path("elapsedMillis").asLong());
        assertThat(later.path("progress").path("tail").asString()).contains("free").contains("buff");
        JsonNode done = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(done.path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.path("stdout").asString().lines().count()).isEqualTo(8 + 2);
    }
}
