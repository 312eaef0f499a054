package io.mamos.workflows;

/**
 * Life cycle of a job and of each of its runs (one run per target agent), as mirrored into the
 * orchestrator's store. A job with one run takes its run's state; a fan-out job ends SUCCEEDED only
 * if every run did, otherwise FAILED, or CANCELED / TIMED_OUT when cancelled or past its job timeout.
 */
public enum JobState {
    /** Accepted and recorded; its workflow is starting. */
    QUEUED,
    /** The command has been placed on the agent's task queue. */
    DISPATCHED,
    /** The agent picked the command up and its process is running. */
    RUNNING,
    /** The process exited with code 0. */
    SUCCEEDED,
    /** The process exited with a non-zero code, or the run failed for another reason. */
    FAILED,
    /** The command ran past its timeout and the agent killed it. */
    TIMED_OUT,
    /** No worker of the target agent picked the command up in time. */
    AGENT_OFFLINE,
    /** The agent stopped heartbeating while the command ran (it died or lost its network). */
    AGENT_LOST,
    /** The agent's local allowlist refused the command. */
    REFUSED,
    /** Cancelled by a user, or by the job's timeout while it ran. */
    CANCELED,
    /** A run of a fan-out job that never started: the job's failure threshold was reached first. */
    SKIPPED;

    public boolean isTerminal() {
        return this != QUEUED && this != DISPATCHED && this != RUNNING;
    }
}
