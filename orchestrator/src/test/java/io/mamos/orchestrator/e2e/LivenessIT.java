package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.TaskQueues;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Agent liveness with real processes: activity heartbeats carrying OSHI snapshots, mirrored
 * into the store. The tests share one stack and run in order, each leaving the agent running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivenessIT {

    private static final Duration INTERVAL = MamosStack.LIVENESS_INTERVAL;
    /** The promise: silent for at most three intervals and the agent is OFFLINE. */
    private static final Duration OFFLINE_BOUND = INTERVAL.multipliedBy(3);
    /** Passes of the liveness reconciler, far more often than its default 30 s. */
    private static final Duration RECONCILE_INTERVAL = Duration.ofMillis(500);
    /** How often the Temporal SDK's metrics reach the orchestrator's /metrics (the starter's scope). */
    private static final Duration SDK_METRICS_REPORT_INTERVAL = Duration.ofSeconds(10);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent().withSeparateGateway()
            .withOrchestratorEnv("MAMOS_LIVENESS_RECONCILE_INTERVAL", RECONCILE_INTERVAL.toMillis() + "ms");

    @Test
    @Order(1)
    void runningAgentIsOnlineAndReportsThisMachinesMemory() throws IOException {
        JsonNode agent = awaitAgent("ONLINE with a snapshot", Duration.ofSeconds(60),
                a -> a.path("status").asString().equals("ONLINE") && !a.path("snapshot").isNull());

        long reported = agent.path("snapshot").path("memoryTotalBytes").asLong();
        long actual = memTotalBytes();
        assertThat((double) reported).isCloseTo(actual, org.assertj.core.data.Percentage.withPercentage(1));
        assertThat(agent.path("snapshot").path("cpuCount").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(agent.path("snapshot").path("disks").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @Order(2)
    void reconcilerAsksTemporalToStartNoLivenessWorkflowThatRuns() {
        awaitAgent("ONLINE", Duration.ofSeconds(60), a -> a.path("status").asString().equals("ONLINE"));
        String metrics = mamos.orchestrator().baseUrl() + "/metrics";
        String start = "operation=\"StartWorkflowExecution\"";
        // The enrollment's own start (and one of a pass that ran before visibility listed it) must
        // have reached /metrics before the count begins.
        Poll.sleep(SDK_METRICS_REPORT_INTERVAL.plusSeconds(1));
        double before = Metrics.sum(Metrics.scrape(metrics), "temporal_request_total", start);

        // Over 40 passes; the orchestrator (its gateway runs apart) starts nothing else meanwhile.
        // The SDK hands its counters to /metrics every 10 s: twice that, so passes show for sure.
        Poll.sleep(SDK_METRICS_REPORT_INTERVAL.multipliedBy(2).plusSeconds(1));

        double after = Metrics.sum(Metrics.scrape(metrics), "temporal_request_total", start);
        assertThat(after - before).as("StartWorkflowExecution calls over 40 reconciler passes, the agent's liveness"
                + " workflow running").isZero();
    }

    @Test
    @Order(2)
    void livenessTakesPlaceOnTheAgentsLivenessQueueApartFromItsCommands() {
        String commands = TaskQueues.forAgent(mamos.agentId());
        String liveness = TaskQueues.livenessForAgent(mamos.agentId());
        Poll.until("the agent polls its liveness queue", Duration.ofSeconds(30),
                () -> mamos.temporal().hasActivityPoller(liveness));
        List<String> queues = Poll.until("a liveness session scheduled", Duration.ofSeconds(30),
                () -> mamos.temporal().scheduledActivityQueues(TaskQueues.agentWorkflowId(mamos.agentId())),
                scheduled -> scheduled.size() >= 2);

        // The first check-in goes where every agent version polls; the agent's snapshot says it
        // polls its liveness queue, and the session goes there, behind no command.
        assertThat(queues.get(0)).isEqualTo(commands);
        assertThat(queues.subList(1, queues.size())).containsOnly(liveness);
        assertThat(mamos.temporal().hasActivityPoller(commands)).isTrue();
    }

    @Test
    @Order(2)
    void heartbeatsKeepLastSeenCurrentAndFillTheMetricHistory() {
        Instant first = Instant.parse(agent().path("lastSeenAt").asString());

        // Each online agent's latest heartbeat is read once per history interval.
        JsonNode later = awaitAgent("a newer lastSeenAt", MamosStack.LIVENESS_HISTORY_INTERVAL.plus(INTERVAL.multipliedBy(2)),
                a -> Instant.parse(a.path("lastSeenAt").asString()).isAfter(first));
        JsonNode history = mamos.api().get("/api/v1/agents/" + mamos.agentId() + "/metrics").expect(200);

        assertThat(later.path("status").asString()).isEqualTo("ONLINE");
        assertThat(history.path("items").size()).isGreaterThanOrEqualTo(1);
        assertThat(history.path("items").get(0).path("memoryTotalBytes").asLong()).isPositive();
    }

    @Test
    @Order(3)
    void prometheusDiscoversTheAgentsMetricsEndpointThroughTheOrchestrator() throws Exception {
        String token = Files.readString(mamos.orchestratorDataDir().resolve("prometheus-sd-token")).strip();
        String address = agent().path("snapshot").path("metricsAddress").asString();
        HttpClient http = HttpClient.newHttpClient();
        URI targets = URI.create(mamos.orchestrator().baseUrl() + "/api/v1/prometheus/targets");

        var unauthenticated = http.send(HttpRequest.newBuilder(targets).build(), HttpResponse.BodyHandlers.ofString());
        var discovered = http.send(HttpRequest.newBuilder(targets).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString());
        var scraped = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(unauthenticated.statusCode()).isEqualTo(401);
        assertThat(discovered.statusCode()).isEqualTo(200);
        assertThat(discovered.body()).contains(address).contains(mamos.agentId());
        assertThat(scraped.statusCode()).isEqualTo(200);
        assertThat(scraped.body()).contains("mamos_agent_memory_total_bytes");
    }

    @Test
    @Order(4)
    void orchestratorDownLongerThanTheHeartbeatTimeoutDoesNotMarkRunningAgentsOffline() {
        mamos.orchestrator().kill();
        Poll.sleep(OFFLINE_BOUND.plus(INTERVAL));
        mamos.restartOrchestrator();

        // Give the restarted orchestrator a few intervals to notice anything it would.
        Poll.sleep(INTERVAL.multipliedBy(3));
        JsonNode agent = agent();
        assertThat(agent.path("status").asString()).isEqualTo("ONLINE");
        assertThat(agent.path("wentOfflineAt").isNull()).as("wentOfflineAt of %s", agent).isTrue();
    }

    @Test
    @Order(5)
    void killedAgentIsOfflineWithinThreeIntervalsAndOnlineWithinOneOnceItPollsAgain() {
        Instant killed = Instant.now();
        mamos.agent().kill();
        JsonNode offline = awaitAgent("OFFLINE", OFFLINE_BOUND.plusSeconds(30),
                a -> a.path("status").asString().equals("OFFLINE"));
        Duration toOffline = Duration.between(killed, Instant.now());

        mamos.restartAgent();
        // Temporal's list of the queue's pollers still shows the killed agent's for a while: the
        // moment the new process polls is the one it logs, not the one that list changes.
        Instant polling = Poll.until("the restarted agent to log that it polls its task queue", Duration.ofSeconds(90),
                () -> mamos.agent().pollingSince(), Optional::isPresent).orElseThrow();
        JsonNode online = awaitAgent("ONLINE again", INTERVAL.plusSeconds(30),
                a -> a.path("status").asString().equals("ONLINE"));
        Duration toOnline = Duration.between(polling, Instant.now());

        System.err.printf("[e2e] liveness: kill -9 -> OFFLINE in %d ms, polling -> ONLINE in %d ms (interval %ds)%n",
                toOffline.toMillis(), toOnline.toMillis(), INTERVAL.toSeconds());
        assertThat(toOffline).isLessThanOrEqualTo(OFFLINE_BOUND);
        assertThat(toOnline).isLessThanOrEqualTo(INTERVAL);
        assertThat(offline.path("wentOfflineAt").asString()).isNotBlank();
        assertThat(Instant.parse(online.path("cameBackAt").asString()))
                .isAfter(Instant.parse(offline.path("wentOfflineAt").asString()));
    }

    @Test
    @Order(6)
    void decommissionedAgentIsNoLongerOnlineTakesNoJobsAndKeepsItsHistory() {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "true", List.of(), 30);
        mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(60));

        JsonNode decommissioned = mamos.api()
                .post("/api/v1/agents/" + mamos.agentId() + "/decommission", java.util.Map.of()).expect(200);
        Poll.sleep(INTERVAL.multipliedBy(2));

        assertThat(decommissioned.path("status").asString()).isEqualTo("DECOMMISSIONED");
        assertThat(agent().path("status").asString()).isEqualTo("DECOMMISSIONED");
        assertThat(mamos.api().get("/api/v1/agents?status=ONLINE").expect(200).path("items").size()).isZero();
        assertThat(mamos.api().submitJob(mamos.agentId(), "true", List.of(), 30).status()).isEqualTo(409);
        assertThat(mamos.api().job(jobId).path("state").asString()).isEqualTo("SUCCEEDED");
    }

    private static JsonNode agent() {
        return mamos.api().get("/api/v1/agents/" + mamos.agentId()).expect(200);
    }

    private static JsonNode awaitAgent(String what, Duration timeout, java.util.function.Predicate<JsonNode> done) {
        return Poll.until("agent " + mamos.agentId() + " " + what, timeout, LivenessIT::agent, done);
    }

    private static long memTotalBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IllegalStateException("no MemTotal in /proc/meminfo");
    }
}
