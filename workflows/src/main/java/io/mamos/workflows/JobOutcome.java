package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The final state of a job as the workflow mirrors it into the store. Each run's own end (exit
 * code, output, timings) is in its {@link RunOutcome}.
 *
 * @param state            a terminal {@link JobState}
 * @param error            why a fan-out job did not succeed (counts, threshold, timeout); null when it did,
 *                         and null for a single-run job, whose run carries the reason
 * @param finishedAtMillis when the job ended (workflow time)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobOutcome(String jobId, JobState state, String error, long finishedAtMillis) {
}
