package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two orchestrators at once on one PostgreSQL store, one data folder (their keys and secrets) and
 * the project's real Temporal cluster on PostgreSQL (two history and two matching instances), with
 * a separate agent gateway, as replicas behind a load balancer run: either
 * answers for what the other did, and 100 simulated agents' fan-out survives kill -9 of one replica
 * (the other takes its workflow tasks over) and a rolling restart of both, every run executed once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    private static final int AGENTS = 100;

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent().withSeparateGateway().withPostgresStore()
            .onTemporalCluster();

    private static OrchestratorProcess replicaB;
    private static SimulatedFleet fleet;

    @BeforeAll
    static void startSecondReplicaAndFleet() throws IOException {
        replicaB = mamos.startReplica("replica-b");
        fleet = SimulatedFleet.start(mamos, AGENTS);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    private static ApiClient apiA() {
        return mamos.api();
    }

    private static ApiClient apiB() {
        return replicaB.anonymousApi().loggedIn(replicaB.adminPassword());
    }

    @Test
    @Order(1)
    void eitherReplicaAnswersForWhatTheOtherDid() {
        // One admin password for both: they share the data folder's secrets and the store's users.
        assertThat(replicaB.adminPassword()).isEqualTo(mamos.orchestrator().adminPassword());
        apiA().post("/api/v1/users", Map.of("username", "ops-b", "password", "correct horse battery staple",
                "role", "OPERATOR")).expect(201);
        // A token A issued is valid on B (one signing key), and a user created through A signs in through B.
        assertThat(ApiClient.anonymous(replicaB.baseUrl()).post("/api/v1/auth/token",
                Map.of("username", "ops-b", "password", "correct horse battery staple")).status()).isEqualTo(200);
        assertThat(apiB().get("/api/v1/agents?status=ONLINE").expect(200).path("items").size()).isEqualTo(AGENTS);

        String agentId = fleet.agentIds().iterator().next();
        String jobId = apiB().post("/api/v1/jobs", Map.of("agentId", agentId, "command", "echo",
                "args", List.of("through-b"), "timeoutSeconds", 30)).expect(202).path("id").asString();
        assertThat(apiA().awaitJobEnd(jobId, Duration.ofSeconds(120)).path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(fleet.executionsPerQueue(jobId)).containsExactly(Map.entry("mamos-agent-" + agentId, 1L));
    }

    @Test
    @Order(2)
    void replicaKilledMidFanOutLeavesTheOtherToFinishEveryRunOnce() throws IOException {
        String jobId = apiA().post("/api/v1/jobs", Map.of(
                "targets", Map.of("all", true), "command", "echo", "args", List.of("kill-a"),
                "timeoutSeconds", 60, "concurrency", 10)).expect(202).path("id").asString();
        long endedAtKill = Poll.until("some runs ended", Duration.ofSeconds(120),
                () -> SimulatedFleet.ended(apiA(), jobId), n -> n >= 10);
        mamos.orchestrator().kill();
        assertThat(endedAtKill).as("runs ended when replica A was killed").isLessThan(AGENTS);
        System.err.printf("[e2e] replicas: %d of %d runs ended when replica A was killed%n", endedAtKill, AGENTS);

        // B alone finishes it: no restart of A.
        fleet.assertEveryAgentRanItOnce(apiB(), jobId, "echo kill-a");
        mamos.restartOrchestrator();
    }

    @Test
    @Order(3)
    void bothReplicasRestartedOneAfterTheOtherWhileAJobRunsLoseNothing() {
        String jobId = apiB().post("/api/v1/jobs", Map.of(
                "targets", Map.of("all", true), "command", "echo", "args", List.of("rolling"),
                "timeoutSeconds", 60, "concurrency", 2)).expect(202).path("id").asString();
        long endedAtFirst = Poll.until("some runs ended", Duration.ofSeconds(120),
                () -> SimulatedFleet.ended(apiB(), jobId), n -> n >= 4);
        assertThat(endedAtFirst).as("runs ended when A was restarted").isLessThan(AGENTS);
        // A rolling restart: A stops gracefully and comes back, then B (the simulated runs end at
        // once, so the job may or may not be over by B's turn; the counts are printed).
        mamos.orchestrator().replaceWith(Jars.orchestrator());
        long endedAtSecond = SimulatedFleet.ended(apiB(), jobId);
        replicaB.replaceWith(Jars.orchestrator());
        System.err.printf("[e2e] replicas: %d and %d of %d runs ended when A, then B, was restarted%n",
                endedAtFirst, endedAtSecond, AGENTS);

        fleet.assertEveryAgentRanItOnce(apiA(), jobId, "echo rolling");
    }
}
