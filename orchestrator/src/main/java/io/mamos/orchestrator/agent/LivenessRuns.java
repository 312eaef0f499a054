package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.CallerExecution;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.mamos.workflows.TaskQueues;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Which liveness workflow speaks for each agent: the chain the orchestrator started, known by
 * the run id Temporal returned at the start (continue-as-new keeps it as the chain's first run).
 * A workflow anyone else starts under the agent's liveness id is not it.
 */
@Component
class LivenessRuns {

    /** Agents enrolled before the V7 migration: the first liveness call binds its chain. */
    static final String BIND_ON_FIRST_CALL = "*";

    private static final long START_RECORD_WAIT_MILLIS = 5_000;

    private final JdbcClient jdbc;
    private final Callers callers;

    LivenessRuns(JdbcClient jdbc, Callers callers) {
        this.jdbc = jdbc;
        this.callers = callers;
    }

    void recordStarted(String agentId, String firstRunId) {
        jdbc.sql("UPDATE agents SET liveness_run_id = ? WHERE id = ?").params(firstRunId, agentId).update();
    }

    /** The first run of the agent's genuine liveness chain, or null before one was started. */
    Optional<String> startedRun(String agentId) {
        return jdbc.sql("SELECT liveness_run_id FROM agents WHERE id = ?").param(agentId).query(String.class)
                .optional();
    }

    /** Whether this description is of the agent's genuine liveness chain. */
    boolean isGenuine(String agentId, CallerExecution execution) {
        String started = startedRun(agentId).orElse(null);
        if (BIND_ON_FIRST_CALL.equals(started)) {
            jdbc.sql("UPDATE agents SET liveness_run_id = ? WHERE id = ? AND liveness_run_id = ?")
                    .params(execution.firstRunId(), agentId, BIND_ON_FIRST_CALL).update();
            started = startedRun(agentId).orElse(null);
        }
        return execution.firstRunId().equals(started);
    }

    /** Throws unless the caller is the liveness workflow the orchestrator started for this agent. */
    void check(Caller caller, String agentId) {
        if (!TaskQueues.agentWorkflowId(agentId).equals(caller.workflowId())) {
            throw new ForgedCallException(agentId, "workflow " + caller.workflowId() + " is not agent " + agentId
                    + "'s liveness workflow");
        }
        String started = awaitStartRecorded(agentId);
        CallerExecution execution = callers.describe(caller);
        if (BIND_ON_FIRST_CALL.equals(started)) {
            jdbc.sql("UPDATE agents SET liveness_run_id = ? WHERE id = ? AND liveness_run_id = ?")
                    .params(execution.firstRunId(), agentId, BIND_ON_FIRST_CALL).update();
            started = startedRun(agentId).orElse(null);
        }
        if (!execution.firstRunId().equals(started)) {
            throw new ForgedCallException(agentId, "agent " + agentId + "'s liveness workflow is the chain the"
                    + " orchestrator started (first run " + started + "), not this one");
        }
    }

    private String awaitStartRecorded(String agentId) {
        long deadline = System.currentTimeMillis() + START_RECORD_WAIT_MILLIS;
        while (true) {
            Optional<String> started = startedRun(agentId);
            if (started.isPresent()) {
                return started.get();
            }
            if (!jdbc.sql("SELECT COUNT(*) FROM agents WHERE id = ?").param(agentId).query(Long.class).single()
                    .equals(1L)) {
                throw new ForgedCallException(agentId, "no agent " + agentId + " is enrolled");
            }
            if (System.currentTimeMillis() > deadline) {
                throw new ForgedCallException(agentId, "the orchestrator started no liveness workflow for agent "
                        + agentId);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
