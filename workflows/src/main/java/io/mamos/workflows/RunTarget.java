package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One agent a job runs on.
 *
 * @param agentId   the agent, as recorded on the job at submission
 * @param taskQueue its queue, normally {@link TaskQueues#forAgent}; commands reach the agent only there
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunTarget(String agentId, String taskQueue) {

    public static RunTarget of(String agentId) {
        return new RunTarget(agentId, TaskQueues.forAgent(agentId));
    }
}
