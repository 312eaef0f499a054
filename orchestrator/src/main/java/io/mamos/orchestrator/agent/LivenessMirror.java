package io.mamos.orchestrator.agent;

import com.google.common.util.concurrent.ListenableFuture;
import io.mamos.orchestrator.caller.CallerExecution;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.SystemSnapshot;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Mirrors liveness heartbeats into the store. Heartbeat details live on the Temporal server
 * (they add no history events) and cost one DescribeWorkflowExecution per agent to read, so
 * each ONLINE agent's latest heartbeat is read once per {@code history-interval}, not once per
 * heartbeat interval: every pass (one per interval) reads the agents whose turn it is, the
 * longest unread first, concurrently, and writes their snapshots and metric samples in one
 * batched transaction. Presence transitions themselves are written by the liveness workflows
 * (from Temporal's heartbeat timeouts); this only refreshes "last seen" and the metrics.
 */
@Component
class LivenessMirror {

    static final String SESSION_ACTIVITY = "ReportLiveness";

    private static final Logger log = LoggerFactory.getLogger(LivenessMirror.class);

    private final AgentRepository agents;
    private final AgentSnapshotStore store;
    private final WorkflowClient client;
    private final MamosProperties properties;
    private final LivenessRuns runs;
    private final AgentLiveness liveness;
    /** When each ONLINE agent's heartbeat was last read (attempted), in this process. */
    private final Map<String, Instant> lastRead = new ConcurrentHashMap<>();
    private volatile Instant lastPrune = Instant.EPOCH;

    LivenessMirror(AgentRepository agents, AgentSnapshotStore store, WorkflowClient client,
            MamosProperties properties, LivenessRuns runs, AgentLiveness liveness) {
        this.runs = runs;
        this.liveness = liveness;
        this.agents = agents;
        this.store = store;
        this.client = client;
        this.properties = properties;
    }

    @Scheduled(fixedDelayString = "${mamos.liveness.interval:5s}", initialDelayString = "${mamos.liveness.interval:5s}")
    void mirror() {
        try {
            mirrorOnce(Instant.now());
        } catch (RuntimeException e) {
            log.warn("liveness mirroring pass failed: {}", e.toString());
        }
    }

    void mirrorOnce(Instant now) {
        List<String> due = due(agents.findAllByStatus(AgentStatus.ONLINE).stream().map(Agent::id).toList(), now);
        Map<String, ListenableFuture<DescribeWorkflowExecutionResponse>> pending = new LinkedHashMap<>();
        for (String agentId : due) {
            pending.put(agentId, client.getWorkflowServiceStubs().futureStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(properties.temporal().namespace())
                            .setExecution(WorkflowExecution.newBuilder()
                                    .setWorkflowId(TaskQueues.agentWorkflowId(agentId)))
                            .build()));
        }
        List<AgentSnapshotStore.Heartbeat> heartbeats = new ArrayList<>();
        pending.forEach((agentId, future) -> heartbeat(agentId, future).ifPresent(heartbeats::add));
        if (!heartbeats.isEmpty()) {
            store.mirror(heartbeats);
        }
        if (now.isAfter(lastPrune.plusSeconds(600))) {
            int pruned = store.pruneHistory(now.minus(properties.liveness().historyRetention()));
            lastPrune = now;
            log.debug("pruned {} metric samples", pruned);
        }
    }

    /**
     * The agents to read in this pass: those never read or read at least a history interval
     * ago, the longest unread first, at most an even share (online agents × interval /
     * history interval, rounded up) so the reads spread over the passes instead of bunching.
     * They count as read from now on, whether or not the read succeeds.
     */
    List<String> due(List<String> online, Instant now) {
        lastRead.keySet().retainAll(Set.copyOf(online));
        var liveness = properties.liveness();
        long passesPerRound = Math.max(1, liveness.historyInterval().toMillis() / Math.max(1, liveness.interval().toMillis()));
        int share = (int) ((online.size() + passesPerRound - 1) / passesPerRound);
        Instant readBefore = now.minus(liveness.historyInterval()).plus(liveness.interval().dividedBy(2));
        List<String> due = online.stream()
                .filter(id -> !lastRead.getOrDefault(id, Instant.EPOCH).isAfter(readBefore))
                .sorted(Comparator.comparing(id -> lastRead.getOrDefault(id, Instant.EPOCH)))
                .limit(share)
                .toList();
        due.forEach(id -> lastRead.put(id, now));
        return due;
    }

    private Optional<AgentSnapshotStore.Heartbeat> heartbeat(String agentId,
            ListenableFuture<DescribeWorkflowExecutionResponse> future) {
        try {
            DescribeWorkflowExecutionResponse response = future.get(10, TimeUnit.SECONDS);
            var info = response.getWorkflowExecutionInfo();
            String firstRun = info.getFirstRunId().isEmpty() ? info.getExecution().getRunId() : info.getFirstRunId();
            boolean running = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
            if (!running || !runs.isGenuine(agentId, new CallerExecution(firstRun, null, null, running))) {
                // Terminated, or someone else's workflow under the agent's liveness id: its heartbeats say nothing.
                liveness.replace(agentId, running ? "another workflow runs under its id" : "it ended " + info.getStatus());
                return Optional.empty();
            }
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
            if (e.getCause() instanceof io.grpc.StatusRuntimeException status
                    && status.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
                liveness.replace(agentId, "it does not exist");
                return Optional.empty();
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.debug("no liveness heartbeat read for agent {}: {}", agentId, e.toString());
            return Optional.empty();
        }
    }
}
