package io.mamos.workflows;

/**
 * The final state of a job as the workflow mirrors it into the store.
 *
 * @param jobId            the job
 * @param state            a terminal {@link JobState}
 * @param exitCode         the process exit code, when a process ran to an end
 * @param stdout           captured standard output (capped), when known
 * @param stderr           captured standard error (capped), when known
 * @param outputTruncated  whether output was cut to fit the cap
 * @param error            a human-readable reason for states other than SUCCEEDED/FAILED-with-exit-code
 * @param startedAtMillis  when the process started, when known
 * @param finishedAtMillis when the job ended (workflow time)
 */
public record JobOutcome(
        String jobId,
        JobState state,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        Long startedAtMillis,
        long finishedAtMillis) {
}
