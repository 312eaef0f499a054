package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.AgentStatus;
import java.util.List;
import java.util.Map;

/**
 * What {@code POST /api/v1/jobs} would do with a submission, computed by the same planner and
 * written nowhere: the command as the policy resolved it and the agents the targets match now.
 *
 * @param command            the whitelisted command's name
 * @param executable         the program each agent would run, without a shell
 * @param args               the arguments, as checked against the policy
 * @param timeoutSeconds     the per-run timeout the job would get (the policy's default when none was asked)
 * @param agents             the agents the targets resolve to now, in the order their runs would start
 * @param concurrency        runs in flight at once, as a number
 * @param maxFailures        failed runs after which no further run starts (0: no threshold)
 * @param offlineWaitSeconds how long each run would wait for an offline agent
 * @param jobTimeoutSeconds  limit on the whole job (0: none)
 * @param retryMaxAttempts   attempts per run in all (1: no retry)
 */
public record JobDryRun(
        String command,
        String executable,
        List<String> args,
        long timeoutSeconds,
        List<Target> agents,
        int concurrency,
        int maxFailures,
        long offlineWaitSeconds,
        long jobTimeoutSeconds,
        int retryMaxAttempts) {

    /** An agent the job would run on, with its labels as the selector saw them. */
    public record Target(String id, String hostname, AgentStatus status, Map<String, String> labels) {
    }
}
