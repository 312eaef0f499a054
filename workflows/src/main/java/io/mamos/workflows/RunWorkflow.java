package io.mamos.workflows;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One run of a fan-out job: the command on one agent, as a child of {@link JobWorkflow} with id
 * {@link TaskQueues#runWorkflowId}. It records its own state and output in the store, so the
 * parent's history holds only a small result per run. A job with a single target runs it inline.
 */
@WorkflowInterface
public interface RunWorkflow {

    /** @return the run's terminal state */
    @WorkflowMethod
    JobState run(RunRequest request);
}
