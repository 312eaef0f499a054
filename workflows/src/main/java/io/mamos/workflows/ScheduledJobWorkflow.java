package io.mamos.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * What a Temporal Schedule starts at each firing: it records a new job from the schedule's
 * current definition (targets resolved now, policy checked now), then runs it exactly like a job
 * submitted through the API. The firing's workflow id (set by Temporal) becomes the job's workflow id.
 */
@WorkflowInterface
public interface ScheduledJobWorkflow {

    /** @return the job's outcome, or null when the firing was refused and recorded as such */
    @WorkflowMethod
    JobOutcome fire(String scheduleId);
}
