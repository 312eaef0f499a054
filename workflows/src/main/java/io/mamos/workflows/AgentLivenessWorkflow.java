package io.mamos.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One per enrolled agent, id {@link TaskQueues#agentWorkflowId}: keeps a heartbeating liveness
 * session running on the agent's queue and records ONLINE/OFFLINE transitions in the store.
 * Cancelling it (decommission) ends it.
 */
@WorkflowInterface
public interface AgentLivenessWorkflow {

    @WorkflowMethod
    void run(LivenessParams params);

    /** Whether the agent is currently considered online. */
    @QueryMethod
    boolean online();
}
