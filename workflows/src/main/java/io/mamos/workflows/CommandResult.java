package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What an agent reports once a command's process has ended.
 *
 * @param exitCode        the process exit code ({@code -1} when it was killed on timeout)
 * @param stdout          captured standard output, capped (head and tail kept)
 * @param stderr          captured standard error, capped the same way
 * @param outputTruncated whether either stream was cut to fit the cap
 * @param timedOut        whether the agent killed the process because its timeout passed
 * @param startedAtMillis when the process started, epoch millis on the agent's clock
 * @param finishedAtMillis when it ended, epoch millis on the agent's clock
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandResult(
        int exitCode,
        String stdout,
        String stderr,
        boolean outputTruncated,
        boolean timedOut,
        long startedAtMillis,
        long finishedAtMillis) {
}
