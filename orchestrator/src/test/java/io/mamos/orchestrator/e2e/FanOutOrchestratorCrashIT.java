package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    private static SimulatedFleet fleet;

    @BeforeAll
    static void startSimulatedFleet() throws IOException {
        fleet = SimulatedFleet.start(mamos, AGENTS);
    }

    @AfterAll
    static void stopSimulatedFleet() {
        if (fleet != null) {
            fleet.close();
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

        System.err.printf("[e2e] fan-out: %d of %d runs ended when the orchestrator was killed%n", endedAtKill, AGENTS);
        fleet.assertEveryAgentRanItOnce(mamos.api(), jobId, "echo fan-out");
        // All of it was the PostgreSQL store's doing: no SQLite file was ever created.
        assertThat(mamos.orchestratorDataDir().resolve("mamos.db")).doesNotExist();
    }

    private static long ended(String jobId) {
        return SimulatedFleet.ended(mamos.api(), jobId);
    }
}
