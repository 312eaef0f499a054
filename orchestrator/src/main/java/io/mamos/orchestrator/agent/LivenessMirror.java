package io.mamos.orchestrator.agent;

import com.google.common.util.concurrent.ListenableFuture;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.SystemSnapshot;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Mirrors liveness heartbeats into the store. Heartbeat details live on the Temporal server
 * (they add no history events), so once per interval this reads the pending liveness activity of
 * every ONLINE agent — one DescribeWorkflowExecution each, issued concurrently — and writes the
 * snapshots in one batched transaction. Presence transitions themselves are written by the
 * liveness workflows; this only refreshes "last seen" and the metrics.
 */
@Component
class LivenessMirror {

    static final String SESSION_ACTIVITY = "ReportLiveness";

    private static final Logger log = LoggerFactory.getLogger(LivenessMirror.class);

    private final AgentRepository agents;
    private final AgentSnapshotStore store;
    private final WorkflowClient client;
    private final MamosProperties properties;
    private final Map<String, Instant> lastSampled = new ConcurrentHashMap<>();
    private volatile Instant lastPrune = Instant.EPOCH;

    LivenessMirror(AgentRepository agents, AgentSnapshotStore store, WorkflowClient client,
            MamosProperties properties) {
        this.agents = agents;
        this.store = store;
        this.client = client;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${mamos.liveness.interval:5s}", initialDelayString = "${mamos.liveness.interval:5s}")
    void mirror() {
        try {
            mirrorOnce();
        } catch (RuntimeException e) {
            log.warn("liveness mirroring pass failed: {}", e.toString());
        }
    }

    void mirrorOnce() {
        List<Agent> online = agents.findAllByStatus(AgentStatus.ONLINE);
        Map<String, ListenableFuture<DescribeWorkflowExecutionResponse>> pending = new java.util.LinkedHashMap<>();
        for (Agent agent : online) {
            pending.put(agent.id(), client.getWorkflowServiceStubs().futureStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(TaskQueues.agentWorkflowId(agent.id())))
                            .build()));
        }
        List<AgentSnapshotStore.Heartbeat> heartbeats = new ArrayList<>();
        List<AgentSnapshotStore.Heartbeat> samples = new ArrayList<>();
        Instant now = Instant.now();
        pending.forEach((agentId, future) -> heartbeat(agentId, future).ifPresent(heartbeat -> {
            heartbeats.add(heartbeat);
            Instant previous = lastSampled.get(agentId);
            if (previous == null || !heartbeat.at().isBefore(previous.plus(properties.liveness().historyInterval()))) {
                samples.add(heartbeat);
                lastSampled.put(agentId, heartbeat.at());
            }
        }));
        if (!heartbeats.isEmpty()) {
            store.mirror(heartbeats, samples);
        }
        if (now.isAfter(lastPrune.plusSeconds(600))) {
            int pruned = store.pruneHistory(now.minus(properties.liveness().historyRetention()));
            lastPrune = now;
            log.debug("pruned {} metric samples", pruned);
        }
    }

    private Optional<AgentSnapshotStore.Heartbeat> heartbeat(String agentId,
            ListenableFuture<DescribeWorkflowExecutionResponse> future) {
        try {
            DescribeWorkflowExecutionResponse response = future.get(10, TimeUnit.SECONDS);
            return response.getPendingActivitiesList().stream()
                    .filter(activity -> SESSION_ACTIVITY.equals(activity.getActivityType().getName()))
                    .filter(PendingActivityInfo::hasHeartbeatDetails)
                    .filter(PendingActivityInfo::hasLastHeartbeatTime)
                    .findFirst()
                    .map(activity -> new AgentSnapshotStore.Heartbeat(agentId,
                            Instant.ofEpochSecond(activity.getLastHeartbeatTime().getSeconds(),
                                    activity.getLastHeartbeatTime().getNanos()),
                            DataConverter.getDefaultInstance().fromPayloads(0,
                                    Optional.of(activity.getHeartbeatDetails()), SystemSnapshot.class,
                                    SystemSnapshot.class)));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("no liveness heartbeat read for agent {}: {}", agentId, e.toString());
            return Optional.empty();
        }
    }
}
