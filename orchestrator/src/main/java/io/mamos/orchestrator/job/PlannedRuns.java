package io.mamos.orchestrator.job;

import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.CallerExecution;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store's record of what it planned for each job, and the checks that the workflow run
 * calling a store activity is the one it planned that job or run for: the job's workflow run as
 * the orchestrator started it, or a child the Temporal server says that run started. Each check
 * throws {@link ForgedCallException} and changes nothing when it fails.
 */
@Component
class PlannedRuns {

    /** Marks rows in flight at the V7 migration: their first caller binds its run. */
    static final String BIND_ON_FIRST_CALL = "*";

    /** How long a store call waits for the orchestrator to record the run id of a job it just started. */
    private static final long START_RECORD_WAIT_MILLIS = 5_000;

    private final JdbcClient jdbc;
    private final Callers callers;
    private final MamosProperties properties;
    private final JsonMapper json;

    PlannedRuns(JdbcClient jdbc, Callers callers, MamosProperties properties, JsonMapper json) {
        this.jdbc = jdbc;
        this.callers = callers;
        this.properties = properties;
        this.json = json;
    }

    /** What the API checked and recorded for a job. */
    record PlannedJob(String id, String workflowId, String workflowRunId, CommandSpec command, long timeoutSeconds,
            int maxOutputBytes, long offlineWaitSeconds, int maxAttempts) {
    }

    /** A run's binding and signing state. */
    record PlannedRun(String workflowId, String workflowRunId, JobState state, int attempt, int signedAttempt,
            String signedNonce, long signedAt, long signedExpiresAt) {
    }

    /** The orchestrator started the job's workflow: this is its run. */
    void recordStarted(String jobId, String runId) {
        jdbc.sql("UPDATE jobs SET workflow_run_id = ? WHERE id = ? AND workflow_run_id IS NULL").params(runId, jobId)
                .update();
        // A single-target job's run is the job's own workflow run.
        jdbc.sql("""
                UPDATE job_runs SET workflow_run_id = ?
                WHERE job_id = ? AND workflow_run_id IS NULL
                  AND workflow_id = (SELECT workflow_id FROM jobs WHERE id = ?)
                """).params(runId, jobId, jobId).update();
    }

    void recordOutputCap(String jobId, int maxOutputBytes) {
        jdbc.sql("UPDATE jobs SET max_output_bytes = ? WHERE id = ?").params(maxOutputBytes, jobId).update();
    }

    /** The job, if the caller is its workflow's planned run. */
    PlannedJob checkJobCaller(Caller caller, String jobId) {
        PlannedJob job = job(jobId);
        checkJobCaller(caller, job);
        return job;
    }

    /** The run of the job on the agent, if the caller is the workflow run planned for it. */
    PlannedRun checkRunCaller(Caller caller, PlannedJob job, String agentId) {
        PlannedRun run = run(job.id(), agentId).orElseThrow(() -> new ForgedCallException(job.id(),
                "job " + job.id() + " has no run on agent " + agentId));
        if (!run.workflowId().equals(caller.workflowId())) {
            throw new ForgedCallException(job.id(), "the run of job " + job.id() + " on agent " + agentId
                    + " belongs to workflow " + run.workflowId());
        }
        if (run.workflowId().equals(job.workflowId())) {
            checkJobCaller(caller, job);
            if (BIND_ON_FIRST_CALL.equals(run.workflowRunId())) {
                jdbc.sql("UPDATE job_runs SET workflow_run_id = ? WHERE job_id = ? AND agent_id = ? AND workflow_run_id = ?")
                        .params(caller.runId(), job.id(), agentId, BIND_ON_FIRST_CALL).update();
            }
            return run;
        }
        if (BIND_ON_FIRST_CALL.equals(run.workflowRunId())) {
            // A child in flight at the V7 migration: bound below like a new one.
            jdbc.sql("UPDATE job_runs SET workflow_run_id = NULL WHERE job_id = ? AND agent_id = ? AND workflow_run_id = ?")
                    .params(job.id(), agentId, BIND_ON_FIRST_CALL).update();
            run = run(job.id(), agentId).orElseThrow();
        }
        if (run.workflowRunId() != null) {
            if (!run.workflowRunId().equals(caller.runId())) {
                throw new ForgedCallException(job.id(), "the run of job " + job.id() + " on agent " + agentId
                        + " is workflow run " + run.workflowRunId());
            }
            return run;
        }
        // A fan-out child's first call: the Temporal server, not the workflow, names its parent.
        CallerExecution execution = callers.describe(caller);
        if (!job.workflowId().equals(execution.parentWorkflowId())) {
            throw new ForgedCallException(job.id(), "workflow " + caller.workflowId()
                    + " was not started by job " + job.id() + "'s workflow");
        }
        checkJobCaller(new Caller(caller.activity(), execution.parentWorkflowId(), execution.parentRunId()), job);
        jdbc.sql("UPDATE job_runs SET workflow_run_id = ? WHERE job_id = ? AND agent_id = ? AND workflow_run_id IS NULL")
                .params(caller.runId(), job.id(), agentId).update();
        PlannedRun bound = run(job.id(), agentId).orElseThrow();
        if (!caller.runId().equals(bound.workflowRunId())) {
            throw new ForgedCallException(job.id(), "the run of job " + job.id() + " on agent " + agentId
                    + " is workflow run " + bound.workflowRunId());
        }
        return bound;
    }

    /**
     * Records the invocation signed for the run's attempt; false if one was already recorded
     * for this or a later attempt.
     */
    boolean recordSigned(String jobId, String agentId, int attempt, String nonce, long signedAt, long expiresAt) {
        return jdbc.sql("""
                UPDATE job_runs SET signed_attempt = :attempt, signed_nonce = :nonce, signed_at = :at,
                    signed_expires_at = :expires
                WHERE job_id = :job AND agent_id = :agent AND signed_attempt < :attempt
                """).param("attempt", attempt).param("nonce", nonce).param("at", signedAt)
                .param("expires", expiresAt).param("job", jobId).param("agent", agentId).update() == 1;
    }

    /** The attempt's signature {@code previousNonce} replaced by a new one; false if it was not the current one. */
    boolean recordResigned(String jobId, String agentId, int attempt, String previousNonce, String nonce, long signedAt,
            long expiresAt) {
        return jdbc.sql("""
                UPDATE job_runs SET signed_nonce = :nonce, signed_at = :at, signed_expires_at = :expires
                WHERE job_id = :job AND agent_id = :agent AND signed_attempt = :attempt AND signed_nonce = :previous
                """).param("attempt", attempt).param("nonce", nonce).param("at", signedAt)
                .param("expires", expiresAt).param("job", jobId).param("agent", agentId)
                .param("previous", previousNonce).update() == 1;
    }

    PlannedJob job(String jobId) {
        return findJob(jobId).orElseThrow(() -> new ForgedCallException(jobId, "no job " + jobId + " was planned"));
    }

    Optional<PlannedRun> run(String jobId, String agentId) {
        return jdbc.sql("""
                SELECT workflow_id, workflow_run_id, state, attempt, signed_attempt, signed_nonce, signed_at,
                    signed_expires_at
                FROM job_runs WHERE job_id = ? AND agent_id = ?
                """).params(jobId, agentId)
                .query((rs, i) -> new PlannedRun(rs.getString(1), rs.getString(2), JobState.valueOf(rs.getString(3)),
                        rs.getInt(4), rs.getInt(5), rs.getString(6), rs.getLong(7), rs.getLong(8)))
                .optional();
    }

    private void checkJobCaller(Caller caller, PlannedJob job) {
        if (!job.workflowId().equals(caller.workflowId())) {
            throw new ForgedCallException(job.id(), "job " + job.id() + " belongs to workflow " + job.workflowId());
        }
        String runId = awaitStartRecorded(job);
        if (BIND_ON_FIRST_CALL.equals(runId)) {
            jdbc.sql("UPDATE jobs SET workflow_run_id = ? WHERE id = ? AND workflow_run_id = ?")
                    .params(caller.runId(), job.id(), BIND_ON_FIRST_CALL).update();
            runId = job(job.id()).workflowRunId();
        }
        if (!caller.runId().equals(runId)) {
            throw new ForgedCallException(job.id(), "job " + job.id() + "'s workflow is run " + runId
                    + " as the orchestrator started it");
        }
    }

    /** A job's first calls may come before the orchestrator has recorded the run it just started. */
    private String awaitStartRecorded(PlannedJob job) {
        long deadline = System.currentTimeMillis() + START_RECORD_WAIT_MILLIS;
        PlannedJob current = job;
        while (current.workflowRunId() == null) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("job " + job.id() + ": its workflow's start is not recorded yet");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            current = job(job.id());
        }
        return current.workflowRunId();
    }

    private Optional<PlannedJob> findJob(String jobId) {
        return jdbc.sql("""
                SELECT id, workflow_id, workflow_run_id, command_name, executable, args_json, timeout_seconds,
                    max_output_bytes, options_json
                FROM jobs WHERE id = ?
                """).param(jobId).query((rs, i) -> {
                    Map<String, Object> options = json.readValue(rs.getString(9), new TypeReference<>() {
                    });
                    int cap = rs.getInt(8);
                    if (rs.wasNull()) {
                        cap = properties.jobs().maxOutputBytes();
                    }
                    return new PlannedJob(rs.getString(1), rs.getString(2), rs.getString(3),
                            new CommandSpec(rs.getString(4), rs.getString(5),
                                    json.readValue(rs.getString(6), new TypeReference<List<String>>() {
                                    })),
                            rs.getLong(7), cap, offlineWait(options), maxAttempts(options));
                }).optional();
    }

    private long offlineWait(Map<String, Object> options) {
        return options.get("offlineWaitSeconds") instanceof Number wait ? wait.longValue()
                : properties.jobs().agentWait().toSeconds();
    }

    private static int maxAttempts(Map<String, Object> options) {
        return options.get("retry") instanceof Map<?, ?> retry && retry.get("maxAttempts") instanceof Number max
                ? max.intValue() : 1;
    }
}
