package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;

/** Orchestrator-side (local) activity that turns a schedule's firing into a recorded job. */
@ActivityInterface
public interface ScheduleActivities {

    /**
     * Records a job for this firing, idempotently per {@code workflowId}. Returns the request to
     * run, or null when the firing cannot run (schedule deleted, no target matched, policy now
     * refuses the command); such a firing is recorded as a job that ended FAILED or REFUSED, with its reason.
     */
    JobRequest createJob(String scheduleId, String workflowId, long firedAtMillis);
}
