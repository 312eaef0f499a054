package io.mamos.agent.simulate;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The fan-out floor: the least one job to N agents can cost on Temporal. One workflow schedules
 * one activity on each of N agent-style queues at once and waits for every answer; no child
 * workflows, no store, no signing.
 */
@WorkflowInterface
public interface FloorFanOutWorkflow {

    /** Runs {@link FloorActivities#echo} once on each queue, all at once; returns how many answered. */
    @WorkflowMethod(name = "MamosBenchmarkFloorFanOut")
    int run(List<String> agentQueues, String message);
}
