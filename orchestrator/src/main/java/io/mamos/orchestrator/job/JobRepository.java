package io.mamos.orchestrator.job;

import org.springframework.data.jdbc.repository.query.Modifying;
import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.ListCrudRepository;
import org.springframework.data.repository.ListPagingAndSortingRepository;
import org.springframework.data.repository.query.Param;

public interface JobRepository extends ListCrudRepository<Job, String>, ListPagingAndSortingRepository<Job, String> {

    @Query("SELECT COUNT(*) FROM jobs WHERE state IN ('DISPATCHED', 'RUNNING')")
    long countRunning();

    /** Only moves a job forward: a replayed write never overwrites a terminal state. */
    @Modifying
    @Query("""
            UPDATE jobs SET state = 'DISPATCHED', dispatched_at = :at
            WHERE id = :id AND state IN ('QUEUED')
            """)
    int markDispatched(@Param("id") String id, @Param("at") long atMillis);

    @Modifying
    @Query("""
            UPDATE jobs SET state = 'RUNNING', started_at = :startedAt
            WHERE id = :id AND state IN ('QUEUED', 'DISPATCHED')
            """)
    int markRunning(@Param("id") String id, @Param("startedAt") long startedAtMillis);

    @Query("SELECT * FROM jobs WHERE state IN ('DISPATCHED', 'RUNNING') ORDER BY created_at LIMIT :limit")
    java.util.List<Job> findActive(@Param("limit") int limit);

    @Modifying
    @Query("UPDATE jobs SET progress_json = :progress WHERE id = :id AND state IN ('DISPATCHED', 'RUNNING')")
    int saveProgress(@Param("id") String id, @Param("progress") String progressJson);

    /** The first terminal write wins; a replayed or retried one changes nothing (and returns 0). */
    @Modifying
    @Query("""
            UPDATE jobs SET state = :state, exit_code = :exitCode, stdout = :stdout, stderr = :stderr,
                output_truncated = :truncated, error = :error,
                started_at = COALESCE(:startedAt, started_at), finished_at = :finishedAt
            WHERE id = :id AND state IN ('QUEUED', 'DISPATCHED', 'RUNNING')
            """)
    int markFinished(@Param("id") String id, @Param("state") String state, @Param("exitCode") Integer exitCode,
            @Param("stdout") String stdout, @Param("stderr") String stderr, @Param("truncated") boolean truncated,
            @Param("error") String error, @Param("startedAt") Long startedAtMillis,
            @Param("finishedAt") long finishedAtMillis);
}
