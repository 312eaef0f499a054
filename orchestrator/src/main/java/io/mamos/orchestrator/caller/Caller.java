package io.mamos.orchestrator.caller;

/**
 * The workflow run an orchestrator-side activity runs for, as Temporal set it in the activity's
 * own info (never an argument the workflow passed).
 *
 * @param activity   the activity's type name, e.g. {@code PrepareInvocation}
 * @param workflowId the calling workflow's id
 * @param runId      the calling workflow's run id
 */
public record Caller(String activity, String workflowId, String runId) {
}
