package io.mamos.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One job: one command on one or many agents, durable across restarts of the orchestrator, the
 * agents and the Temporal server. Its workflow id is {@link TaskQueues#jobWorkflowId}; cancelling
 * the workflow cancels every run (each agent kills its process tree).
 */
@WorkflowInterface
public interface JobWorkflow {

    @WorkflowMethod
    JobOutcome run(JobRequest request);

    /** The state the workflow has reached, readable while it runs. */
    @QueryMethod
    JobState status();
}
