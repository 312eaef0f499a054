package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a run lost to agent failure ({@link JobState#AGENT_LOST}) is retried. Commands need not be
 * idempotent, so the default is {@link #NONE}: a lost run is reported, not repeated. Any other
 * end (exit code, timeout, refusal, cancel, agent offline) is never retried.
 *
 * @param maxAttempts    attempts in total, at least 1 (1 = no retry)
 * @param backoffSeconds wait before the second attempt; each further wait doubles it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RetrySpec(int maxAttempts, long backoffSeconds) {

    public static final RetrySpec NONE = new RetrySpec(1, 0);

    public RetrySpec {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (backoffSeconds < 0) {
            throw new IllegalArgumentException("backoffSeconds must not be negative, got " + backoffSeconds);
        }
    }

    /** The wait before attempt {@code nextAttempt} (2, 3, ...): backoff, 2 × backoff, 4 × backoff, ... */
    public long backoffBefore(int nextAttempt) {
        int doublings = Math.min(Math.max(nextAttempt - 2, 0), 20);
        return backoffSeconds * (1L << doublings);
    }
}
