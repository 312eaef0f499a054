package io.mamos.orchestrator.job;

import io.mamos.orchestrator.config.StoreDialect;
import io.mamos.workflows.JobState;
import io.mamos.workflows.RunOutcome;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The runs of jobs ({@code job_runs}), keyed by (job, agent). Like the job rows, every write only
 * moves a run forward: a replayed or late write never overwrites a later state.
 */
@Component
class RunStore {

    private static final String ACTIVE = "('DISPATCHED', 'RUNNING')";
    private static final String NOT_ENDED = "('QUEUED', 'DISPATCHED', 'RUNNING')";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final StoreDialect dialect;

    RunStore(JdbcClient jdbc, JdbcTemplate template, StoreDialect dialect) {
        this.jdbc = jdbc;
        this.template = template;
        this.dialect = dialect;
    }

    /** The job's resolved targets, in order; all QUEUED. One batched statement. */
    void insertQueued(String jobId, List<String> agentIds, List<String> workflowIds) {
        template.batchUpdate("""
                INSERT INTO job_runs (job_id, agent_id, position, state, workflow_id)
                VALUES (?, ?, ?, 'QUEUED', ?)
                """, new org.springframework.jdbc.core.BatchPreparedStatementSetter() {
            @Override
            public void setValues(java.sql.PreparedStatement ps, int i) throws SQLException {
                ps.setString(1, jobId);
                ps.setString(2, agentIds.get(i));
                ps.setInt(3, i);
                ps.setString(4, workflowIds.get(i));
            }

            @Override
            public int getBatchSize() {
                return agentIds.size();
            }
        });
    }

    void deleteForJob(String jobId) {
        jdbc.sql("DELETE FROM job_runs WHERE job_id = ?").param(jobId).update();
    }

    /** A new attempt starts afresh: its predecessor's start, progress and error are cleared. */
    int markDispatched(String jobId, String agentId, int attempt, long atMillis) {
        return jdbc.sql("""
                UPDATE job_runs SET state = 'DISPATCHED', attempt = :attempt, dispatched_at = :at,
                    started_at = NULL, progress_json = NULL, error = NULL
                WHERE job_id = :job AND agent_id = :agent AND attempt < :attempt AND state IN %s
                """.formatted(NOT_ENDED))
                .param("attempt", attempt).param("at", atMillis).param("job", jobId).param("agent", agentId)
                .update();
    }

    int markRunning(String jobId, String agentId, int attempt, long startedAtMillis) {
        return jdbc.sql("""
                UPDATE job_runs SET state = 'RUNNING', started_at = :startedAt
                WHERE job_id = :job AND agent_id = :agent AND attempt = :attempt AND state = 'DISPATCHED'
                """).param("startedAt", startedAtMillis).param("job", jobId).param("agent", agentId)
                .param("attempt", attempt).update();
    }

    int saveProgress(String jobId, String agentId, String progressJson) {
        return jdbc.sql("UPDATE job_runs SET progress_json = :progress WHERE job_id = :job AND agent_id = :agent"
                + " AND state IN " + ACTIVE)
                .param("progress", progressJson).param("job", jobId).param("agent", agentId).update();
    }

    /**
     * Records the run's end. A run that ended without a result (cancelled, agent lost) keeps the
     * output tail it last heartbeated as its stdout, marked truncated.
     */
    int markFinished(RunOutcome outcome) {
        return jdbc.sql("""
                UPDATE job_runs SET state = :state,
                    attempt = CASE WHEN attempt > :attempt THEN attempt ELSE :attempt END, exit_code = :exitCode,
                    stdout = COALESCE(CAST(:stdout AS TEXT), %s), stderr = :stderr,
                    output_truncated = CASE WHEN CAST(:stdout AS TEXT) IS NULL AND progress_json IS NOT NULL THEN 1
                                            ELSE :truncated END,
                    error = :error, started_at = COALESCE(CAST(:startedAt AS BIGINT), started_at),
                    finished_at = :finishedAt, progress_json = NULL
                WHERE job_id = :job AND agent_id = :agent AND state IN %s
                """.formatted(dialect.jsonText("progress_json", "tail"), NOT_ENDED))
                .param("state", outcome.state().name()).param("attempt", outcome.attempt())
                .param("exitCode", outcome.exitCode()).param("stdout", outcome.stdout())
                .param("stderr", outcome.stderr()).param("truncated", outcome.outputTruncated() ? 1 : 0)
                .param("error", outcome.error()).param("startedAt", outcome.startedAtMillis())
                .param("finishedAt", outcome.finishedAtMillis()).param("job", outcome.jobId())
                .param("agent", outcome.agentId()).update();
    }

    /** Runs that never left QUEUED end in {@code state}; dispatched ones record their own end. */
    int markNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis) {
        int[][] counts = template.batchUpdate("""
                UPDATE job_runs SET state = ?, error = ?, finished_at = ?
                WHERE job_id = ? AND agent_id = ? AND state = 'QUEUED'
                """, agentIds, 500, (ps, agentId) -> {
            ps.setString(1, state.name());
            ps.setString(2, reason);
            ps.setLong(3, atMillis);
            ps.setString(4, jobId);
            ps.setString(5, agentId);
        });
        int total = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                total += Math.max(count, 0);
            }
        }
        return total;
    }

    Optional<Run> find(String jobId, String agentId) {
        return jdbc.sql("SELECT * FROM job_runs WHERE job_id = ? AND agent_id = ?").params(jobId, agentId)
                .query(RunStore::map).optional();
    }

    /** What a job's view shows of its runs: how many are in each state, and a single-target job's only run. */
    record Digest(Map<String, Map<JobState, Integer>> summaries, Map<String, Run> onlyRuns) {

        Map<JobState, Integer> summary(String jobId) {
            return summaries.getOrDefault(jobId, new EnumMap<>(JobState.class));
        }

        Optional<Run> onlyRun(String jobId) {
            return Optional.ofNullable(onlyRuns.get(jobId));
        }
    }

    /** The digests of a page of jobs: two queries, whatever the page's size. */
    Digest digest(List<Job> jobs) {
        Map<String, Map<JobState, Integer>> summaries = new HashMap<>();
        Map<String, Run> onlyRuns = new HashMap<>();
        if (jobs.isEmpty()) {
            return new Digest(summaries, onlyRuns);
        }
        List<String> ids = jobs.stream().map(Job::id).toList();
        jdbc.sql("SELECT job_id, state, COUNT(*) AS n FROM job_runs WHERE job_id IN (:ids) GROUP BY job_id, state")
                .param("ids", ids)
                .query((rs, i) -> summaries.computeIfAbsent(rs.getString("job_id"), id -> new EnumMap<>(JobState.class))
                        .put(JobState.valueOf(rs.getString("state")), rs.getInt("n")))
                .list();
        List<String> single = jobs.stream().filter(job -> job.runCount() == 1).map(Job::id).toList();
        if (!single.isEmpty()) {
            jdbc.sql("SELECT * FROM job_runs WHERE job_id IN (:ids)").param("ids", single).query(RunStore::map).list()
                    .forEach(run -> onlyRuns.put(run.jobId(), run));
        }
        return new Digest(summaries, onlyRuns);
    }

    List<Run> page(String jobId, JobState state, int page, int size) {
        String filter = state == null ? "" : " AND state = :state";
        var spec = jdbc.sql("SELECT * FROM job_runs WHERE job_id = :job" + filter
                + " ORDER BY position LIMIT :limit OFFSET :offset")
                .param("job", jobId).param("limit", size).param("offset", (long) page * size);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(RunStore::map).list();
    }

    long count(String jobId, JobState state) {
        String filter = state == null ? "" : " AND state = :state";
        var spec = jdbc.sql("SELECT COUNT(*) FROM job_runs WHERE job_id = :job" + filter).param("job", jobId);
        if (state != null) {
            spec = spec.param("state", state.name());
        }
        return spec.query(Long.class).single();
    }


    /** Dispatched or running runs, oldest job first, for the progress mirror. */
    List<Run> findActive(int limit) {
        return jdbc.sql("""
                SELECT r.* FROM job_runs r JOIN jobs j ON j.id = r.job_id
                WHERE r.state IN %s ORDER BY j.created_at, r.position LIMIT ?
                """.formatted(ACTIVE)).param(limit).query(RunStore::map).list();
    }

    long countActive() {
        return jdbc.sql("SELECT COUNT(*) FROM job_runs WHERE state IN " + ACTIVE).query(Long.class).single();
    }

    private static Run map(ResultSet rs, int row) throws SQLException {
        return new Run(rs.getString("job_id"), rs.getString("agent_id"), rs.getInt("position"),
                JobState.valueOf(rs.getString("state")), rs.getInt("attempt"),
                integer(rs, "exit_code"), rs.getString("stdout"), rs.getString("stderr"),
                rs.getInt("output_truncated") != 0, rs.getString("error"), rs.getString("workflow_id"),
                instant(rs, "dispatched_at"), instant(rs, "started_at"), instant(rs, "finished_at"),
                rs.getString("progress_json"), rs.getString("workflow_run_id"));
    }

    private static Integer integer(ResultSet rs, String column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long millis = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
