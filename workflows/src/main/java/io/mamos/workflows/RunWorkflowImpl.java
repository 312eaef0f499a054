package io.mamos.workflows;

/** A fan-out job's run on one agent; all the work is in {@link RunExecution}. */
public class RunWorkflowImpl implements RunWorkflow {

    @Override
    public JobState run(RunRequest request) {
        return new RunExecution().execute(request).state();
    }
}
