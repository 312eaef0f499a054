package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The final state of one run (a job's command on one agent) as the workflow mirrors it into the store.
 *
 * @param attempt          the attempt that produced this end, from 1
 * @param state            a terminal {@link JobState}
 * @param exitCode         the process exit code, when a process ran to an end
 * @param stdout           captured standard output (capped), when known
 * @param stderr           captured standard error (capped), when known
 * @param outputTruncated  whether output was cut to fit the cap
 * @param error            a human-readable reason for every end but a zero exit code
 * @param startedAtMillis  when the process started (agent clock), when known
 * @param finishedAtMillis when the run ended (workflow time)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunOutcome(
        String jobId,
        String agentId,
        int attempt,
        JobState state,
        Integer exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        String error,
        Long startedAtMillis,
        long finishedAtMillis) {
}
