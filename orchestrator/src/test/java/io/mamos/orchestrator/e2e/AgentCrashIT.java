package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A running command whose agent dies is reported as lost through the missed activity heartbeats,
 * and, when the agent comes back meanwhile, as lost because it restarted. The tests share one
 * stack and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentCrashIT {

    /**
     * The heartbeat timeout (3 s in these tests), then the agent wait (15 s) during which the job
     * asks the silent agent for the command's result, in case only Temporal was unreachable; the
     * rest is Temporal's and the store's latency.
     */
    private static final Duration LOSS_NOTICED = Duration.ofSeconds(40);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    @Order(1)
    void agentKilledMidCommandEndsJobAsAgentLost() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("30"), 60);
        JsonNode running = mamos.api().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofSeconds(30));
        assertThat(running.path("state").asString()).as("job before the kill: %s", running).isEqualTo("RUNNING");

        mamos.agent().kill();

        JsonNode job = mamos.api().awaitJobEnd(jobId, LOSS_NOTICED);
        assertThat(job.path("state").asString()).as("job after the agent's kill: %s", job).isEqualTo("AGENT_LOST");
        assertThat(job.path("finishedAt").asString()).isNotBlank();
    }

    @Test
    @Order(2)
    void agentKilledMidCommandAndRestartedIsReportedAsRestarted() {
        if (!mamos.agent().process().isAlive()) {
            mamos.restartAgent();
        }
        Poll.until("the agent to log that it polls", Duration.ofSeconds(90), () -> mamos.agent().pollingSince(),
                Optional::isPresent);
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("30"), 60);
        mamos.api().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofSeconds(30));

        mamos.agent().kill();
        // Back within the agent wait: it answers the job's question, with no record of the command.
        mamos.restartAgent();

        JsonNode job = mamos.api().awaitJobEnd(jobId, LOSS_NOTICED);
        assertThat(job.path("state").asString()).as("job after the agent's restart: %s", job).isEqualTo("AGENT_LOST");
        assertThat(job.path("error").asString()).contains("restarted since").doesNotContain("never received");
    }
}
