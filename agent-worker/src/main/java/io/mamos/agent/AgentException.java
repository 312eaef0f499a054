package io.mamos.agent;

/**
 * A failure the agent can explain in one line: the CLI prints the message (no stack trace)
 * and exits with {@link #exitCode()}.
 */
public class AgentException extends RuntimeException {

    private final int exitCode;

    public AgentException(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public AgentException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
