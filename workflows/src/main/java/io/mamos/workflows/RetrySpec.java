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

    /**
     * How many times one run sends a command again that the agent provably never received, on top
     * of {@link #maxAttempts}: it never ran, so sending it again cannot run it twice. Each send is
     * an attempt of its own (signed anew), so a run has at most {@link #highestAttempt} attempts.
     */
    public static final int MAX_RESENDS = 3;

    public RetrySpec {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (backoffSeconds < 0) {
            throw new IllegalArgumentException("backoffSeconds must not be negative, got " + backoffSeconds);
        }
    }

    /**
     * The highest attempt number a run of a job with {@code maxAttempts} may send: the orchestrator
     * dispatches and signs no attempt above it.
     */
    public static int highestAttempt(int maxAttempts) {
        return maxAttempts + MAX_RESENDS;
    }

    /** The wait before attempt {@code nextAttempt} (2, 3, ...): backoff, 2 × backoff, 4 × backoff, ... */
    public long backoffBefore(int nextAttempt) {
        int doublings = Math.min(Math.max(nextAttempt - 2, 0), 20);
        return backoffSeconds * (1L << doublings);
    }
}
