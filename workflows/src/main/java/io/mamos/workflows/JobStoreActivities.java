package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;

/**
 * Orchestrator-side activities that mirror a job's state into the orchestrator's store.
 * The job workflow calls them as local activities: they run inside the orchestrator's
 * workflow worker, next to the store, without a round trip through a task queue.
 * Each is idempotent, so a replay or retry writes the same row again.
 */
@ActivityInterface
public interface JobStoreActivities {

    /** The command has been placed on the agent's queue. */
    void jobDispatched(String jobId, long atMillis);

    /** The job reached a terminal state. */
    void jobFinished(JobOutcome outcome);

    /**
     * Signs a command for its agent: sets {@code issuedAtMillis} (now), {@code expiresAtMillis}
     * (now + {@code validForSeconds}), a fresh random nonce and the signature. Called once per
     * dispatch; the result is recorded in the workflow's history, so a replay reuses it.
     *
     * @param validForSeconds how long the agent may still start it: the wait for the agent plus slack
     */
    CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds);
}
