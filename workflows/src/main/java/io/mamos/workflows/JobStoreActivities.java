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
}
