package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Heartbeat details of a running command: enough for the orchestrator to show progress.
 *
 * @param startedAtMillis when the process started, epoch millis on the agent's clock
 * @param elapsedMillis   how long it has been running
 * @param outputBytes     bytes of stdout and stderr produced so far
 * @param tail            the last few KiB of output
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandProgress(long startedAtMillis, long elapsedMillis, long outputBytes, String tail) {
}
