package io.mamos.orchestrator.caller;

/**
 * What the Temporal server (not the workflow) says about a caller's workflow run.
 *
 * @param firstRunId      the first run of its continue-as-new chain (its own run id if it never continued)
 * @param parentWorkflowId the workflow that started it as a child, or null
 * @param parentRunId     that parent's run, or null
 * @param running         whether the run is still open
 */
public record CallerExecution(String firstRunId, String parentWorkflowId, String parentRunId, boolean running) {
}
