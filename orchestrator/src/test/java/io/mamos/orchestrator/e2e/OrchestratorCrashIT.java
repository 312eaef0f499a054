package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** A job is a durable Temporal workflow: it outlives the orchestrator process that started it. */
class OrchestratorCrashIT {

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent().withSeparateGateway();

    @Test
    void jobSurvivesOrchestratorKill() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("5"), 60);
        JsonNode handedOver = mamos.api().awaitJobState(jobId, JobStates.HANDED_TO_AGENT, Duration.ofSeconds(30));
        assertThat(handedOver.path("state").asString()).as("job before the kill: %s", handedOver)
                .isIn(JobStates.HANDED_TO_AGENT);

        mamos.orchestrator().kill();
        mamos.restartOrchestrator();

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(90));
        assertThat(job.path("state").asString()).as("job after the restart: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("exitCode").asInt(-1)).isZero();
    }
}
