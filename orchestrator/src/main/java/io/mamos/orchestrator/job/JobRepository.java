package io.mamos.orchestrator.job;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;
import org.springframework.data.repository.query.Param;

/** Jobs' overall state. Every write only moves a job forward, so a replayed write changes nothing. */
public interface JobRepository extends ListCrudRepository<Job, String>, ListPagingAndSortingRepository<Job, String> {

    @Query("SELECT COUNT(*) FROM jobs WHERE state IN ('DISPATCHED', 'RUNNING')")
    long countRunning();

    @Modifying
    @Query("UPDATE jobs SET state = 'DISPATCHED', dispatched_at = :at WHERE id = :id AND state = 'QUEUED'")
    int markDispatched(@Param("id") String id, @Param("at") long atMillis);

    @Modifying
    @Query("""
            UPDATE jobs SET state = 'RUNNING', started_at = COALESCE(started_at, :startedAt)
            WHERE id = :id AND state IN ('QUEUED', 'DISPATCHED')
            """)
    int markRunning(@Param("id") String id, @Param("startedAt") long startedAtMillis);

    /** The first terminal write wins; a replayed or retried one changes nothing (and returns 0). */
    @Modifying
    @Query("""
            UPDATE jobs SET state = :state, error = :error, finished_at = :finishedAt,
                started_at = COALESCE(started_at, (SELECT MIN(started_at) FROM job_runs WHERE job_id = :id))
            WHERE id = :id AND state IN ('QUEUED', 'DISPATCHED', 'RUNNING')
            """)
    int markFinished(@Param("id") String id, @Param("state") String state, @Param("error") String error,
            @Param("finishedAt") long finishedAtMillis);

    java.util.Optional<Job> findByWorkflowId(String workflowId);

    @Query("SELECT * FROM jobs WHERE created_by = :user AND idempotency_key = :key")
    java.util.Optional<Job> findByIdempotencyKey(@Param("user") String user, @Param("key") String key);

    @Modifying
    @Query("UPDATE jobs SET idempotency_key = :key, start_request_json = :request WHERE id = :id")
    int recordSubmission(@Param("id") String id, @Param("key") String key, @Param("request") String startRequestJson);

    /** The workflow input of a submitted job, for a retried start; null for other jobs. */
    @Query("SELECT start_request_json FROM jobs WHERE id = :id")
    String startRequestJson(@Param("id") String id);

    @Query("SELECT * FROM jobs WHERE schedule_id = :scheduleId ORDER BY created_at DESC LIMIT :limit")
    java.util.List<Job> findRecentForSchedule(@Param("scheduleId") String scheduleId, @Param("limit") int limit);
}
