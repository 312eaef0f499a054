package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.AgentLivenessWorkflow;
import io.mamos.workflows.LivenessParams;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Starts each agent's liveness workflow at enrollment, and again whenever it is found ended. */
@Component
public class AgentLiveness {

    private static final Logger log = LoggerFactory.getLogger(AgentLiveness.class);
    /** The liveness workflow's type name in Temporal (the interface's simple name). */
    static final String LIVENESS_WORKFLOW_TYPE = AgentLivenessWorkflow.class.getSimpleName();

    private final WorkflowClient client;
    private final AgentRepository agents;
    private final MamosProperties properties;
    private final LivenessRuns runs;
    private final AgentSnapshotStore snapshots;
    private final ApplicationEventPublisher events;

    private final Duration reconcileInterval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "liveness-reconciler");
        t.setDaemon(true);
        return t;
    });

    AgentLiveness(WorkflowClient client, AgentRepository agents, MamosProperties properties, LivenessRuns runs,
            AgentSnapshotStore snapshots, ApplicationEventPublisher events,
            @Value("${mamos.liveness.reconcile-interval:30s}") Duration reconcileInterval) {
        this.runs = runs;
        this.snapshots = snapshots;
        this.events = events;
        this.reconcileInterval = reconcileInterval;
        this.client = client;
        this.agents = agents;
        this.properties = properties;
    }

    @TransactionalEventListener
    void onEnrolled(AgentEnrolled event) {
        ensureStarted(event.agentId(), false);
    }

    /**
     * A liveness workflow that ended (terminated or reset by an operator, failed, lost while the
     * orchestrator was down, or never started) is started again: at startup, then every
     * {@code mamos.liveness.reconcile-interval} on a thread of its own.
     */
    @EventListener(ApplicationReadyEvent.class)
    void startReconciling() {
        thread.scheduleWithFixedDelay(() -> {
            try {
                reconcile();
            } catch (RuntimeException e) {
                log.warn("liveness reconciliation pass failed: {}", e.toString());
            }
        }, 0, reconcileInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stopReconciling() {
        thread.shutdownNow();
    }

    void reconcile() {
        Set<String> running = runningLivenessWorkflows();
        for (Agent agent : agents.findAll()) {
            if (agent.status() == AgentStatus.DECOMMISSIONED
                    || running != null && running.contains(TaskQueues.agentWorkflowId(agent.id()))) {
                continue;
            }
            // A liveness workflow that ended no longer vouches for the agent: it is OFFLINE until
            // the new one sees it check in.
            if (ensureStarted(agent.id(), false) && agent.status() == AgentStatus.ONLINE) {
                log.warn("liveness workflow of agent {} had ended; agent OFFLINE until it checks in again", agent.id());
                snapshots.offline(agent.id(), Instant.now());
                events.publishEvent(new AgentChanged(agent.id()));
            }
        }
    }

    /**
     * The ids of the liveness workflows running now, from one paged visibility query, so a pass
     * asks Temporal to start only the missing ones: a start per agent per pass cost an idle
     * 1,000-agent fleet 33 StartWorkflowExecution calls a second, each refused as already started.
     * Visibility may lag: one just started may be missing (its start is then refused, as before),
     * one just ended may still be listed (started at the next pass; an ONLINE agent's ended
     * workflow is caught by the liveness mirror before). Null when the server cannot answer the
     * query: then every agent's is started, as before.
     */
    Set<String> runningLivenessWorkflows() {
        try {
            Set<String> running = new HashSet<>();
            client.listExecutions("WorkflowType = '" + LIVENESS_WORKFLOW_TYPE + "' AND ExecutionStatus = 'Running'")
                    // Checked here too: a server may answer a query it does not fully apply.
                    .filter(execution -> execution.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING
                            && LIVENESS_WORKFLOW_TYPE.equals(execution.getWorkflowType()))
                    .forEach(execution -> running.add(execution.getExecution().getWorkflowId()));
            return running;
        } catch (RuntimeException e) {
            log.debug("cannot list the running liveness workflows, starting every agent's: {}", e.toString());
            return null;
        }
    }

    /** @return whether a new liveness workflow was started (none ran under the agent's id) */
    boolean ensureStarted(String agentId, boolean online) {
        var liveness = properties.liveness();
        AgentLivenessWorkflow workflow = client.newWorkflowStub(AgentLivenessWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(TaskQueues.agentWorkflowId(agentId))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                // A liveness workflow that ended by accident may be started again; a running one is kept.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                .build());
        try {
            String runId = WorkflowClient.start(workflow::run, new LivenessParams(agentId,
                    liveness.interval().toSeconds(), liveness.session().toSeconds(),
                    // On the agent's command queue until its first check-in says it polls its liveness queue.
                    liveness.sessionsBeforeContinueAsNew(), online, false)).getRunId();
            // Only this chain may write the agent's presence (LivenessRuns).
            runs.recordStarted(agentId, runId);
            log.info("liveness workflow started for agent {}", agentId);
            return true;
        } catch (WorkflowExecutionAlreadyStarted running) {
            log.debug("liveness workflow of agent {} already running", agentId);
        } catch (RuntimeException e) {
            log.warn("cannot start the liveness workflow of agent {} (retried at the next reconciliation): {}", agentId,
                    e.toString());
        }
        return false;
    }

    /**
     * The agent's liveness workflow ended (terminated by someone who reaches Temporal, say) or
     * another stands under its id: the agent counts as OFFLINE until its own workflow, started
     * again, sees it check in.
     */
    void replace(String agentId, String why) {
        log.warn("liveness workflow of agent {} is not the orchestrator's running one ({}); agent OFFLINE,"
                + " liveness started again", agentId, why);
        snapshots.offline(agentId, Instant.now());
        events.publishEvent(new AgentChanged(agentId));
        try {
            client.newUntypedWorkflowStub(TaskQueues.agentWorkflowId(agentId)).terminate("not the orchestrator's"
                    + " liveness workflow for this agent");
        } catch (RuntimeException notRunning) {
            log.debug("nothing to terminate under agent {}'s liveness id: {}", agentId, notRunning.toString());
        }
        ensureStarted(agentId, false);
    }

    void stop(String agentId) {
        try {
            client.newUntypedWorkflowStub(TaskQueues.agentWorkflowId(agentId)).cancel();
        } catch (RuntimeException e) {
            log.info("liveness workflow of agent {} not cancelled (already ended?): {}", agentId, e.toString());
        }
    }
}
