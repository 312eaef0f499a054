package io.mamos.workflows;

/** Life cycle of a job, as mirrored into the orchestrator's store. */
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
    /** Cancelled by a user. */
    CANCELED;

    public boolean isTerminal() {
        return this != QUEUED && this != DISPATCHED && this != RUNNING;
    }
}
