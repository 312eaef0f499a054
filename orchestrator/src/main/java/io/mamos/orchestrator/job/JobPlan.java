package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.Agent;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.RetrySpec;
import java.util.List;

/**
 * A submission checked against the policy and resolved: the command, the agents it will run on
 * (in order) and its options as numbers.
 */
record JobPlan(
        JobSubmission submission,
        CommandSpec command,
        long timeoutSeconds,
        List<Agent> targets,
        int concurrency,
        int maxFailures,
        long offlineWaitSeconds,
        long jobTimeoutSeconds,
        RetrySpec retry) {
}
