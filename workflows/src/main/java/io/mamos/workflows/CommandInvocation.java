package io.mamos.workflows;

/**
 * Input of the agent-side {@link CommandActivities#runCommand} activity.
 *
 * @param jobId           the job this run belongs to, for logs and refusal reports
 * @param command         what to run
 * @param timeoutSeconds  wall-clock limit; the agent kills the whole process tree when it passes
 * @param maxOutputBytes  per stream; beyond it the agent keeps the head and the tail. Agents
 *                        cap it at 512 KiB so both streams fit one Temporal payload.
 */
public record CommandInvocation(String jobId, CommandSpec command, long timeoutSeconds, int maxOutputBytes) {
}
