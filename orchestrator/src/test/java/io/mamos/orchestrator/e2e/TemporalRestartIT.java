package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The Temporal dev server stopped and started again (same ports, same database file) while a
 * command runs on a real agent: the job resumes and ends with the command's own result, and the
 * agent reconnects by itself. Once with SIGTERM, once with SIGKILL; each leaves the stack running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemporalRestartIT {

    /** `vmstat 1 10`: a line a second for ten seconds, so the restart lands mid-command. */
    private static final List<String> ARGS = List.of("1", "10");
    /** Temporal is down this long, longer than the e2e heartbeat timeout of a command (3 s). */
    private static final Duration DOWN = Duration.ofSeconds(5);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    @Order(1)
    void jobSurvivesTemporalStoppedWithSigtermAndRestarted() {
        jobSurvivesTemporalRestart(TemporalDevServer::stop);
    }

    @Test
    @Order(2)
    void jobSurvivesTemporalKilledWithSigkillAndRestarted() {
        jobSurvivesTemporalRestart(TemporalDevServer::kill);
    }

    private static void jobSurvivesTemporalRestart(Consumer<TemporalDevServer> takeDown) {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "vmstat", ARGS, 60);
        JsonNode running = mamos.api().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofSeconds(30));
        assertThat(running.path("state").asString()).as("job before the restart: %s", running).isEqualTo("RUNNING");

        Instant down = Instant.now();
        takeDown.accept(mamos.temporal());
        Poll.sleep(DOWN);
        mamos.temporal().restart();
        System.err.printf("[e2e] Temporal down for %d ms%n", Duration.between(down, Instant.now()).toMillis());

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(90));
        assertThat(job.path("state").asString()).as("job after the restart: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("exitCode").asInt()).isZero();
        // vmstat's two header lines and its ten samples: the whole output, from the agent.
        assertThat(job.path("stdout").asString()).contains("procs").hasLineCount(12);

        // The agent reconnected on its own: it is ONLINE and takes new work.
        String queue = mamos.api().get("/api/v1/agents/" + mamos.agentId()).expect(200).path("taskQueue").asString();
        Poll.until("the agent to poll " + queue + " again", Duration.ofSeconds(60), () -> mamos.agentPolls(queue));
        Poll.until("the agent ONLINE again", Duration.ofSeconds(60),
                () -> mamos.api().get("/api/v1/agents/" + mamos.agentId()).expect(200).path("status").asString(),
                "ONLINE"::equals);
        String after = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of("after the restart"), 30);
        JsonNode next = mamos.api().awaitJobEnd(after, Duration.ofSeconds(60));
        assertThat(next.path("state").asString()).as("job after reconnecting: %s", next).isEqualTo("SUCCEEDED");
        assertThat(next.path("stdout").asString()).isEqualTo("after the restart\n");
    }
}
