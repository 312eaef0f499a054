package io.mamos.agent.simulate;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The benchmark floor: the least a job can cost on Temporal. One workflow, one activity on an
 * agent-style queue of its own, no store, no REST, no policy.
 */
@WorkflowInterface
public interface FloorWorkflow {

    /** Runs {@link FloorActivities#echo} on {@code agentQueue} once and returns its answer. */
    @WorkflowMethod(name = "MamosBenchmarkFloor")
    String run(String agentQueue, String message);
}
