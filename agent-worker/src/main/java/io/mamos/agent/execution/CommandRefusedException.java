package io.mamos.agent.execution;

/** The agent refused a command; the message says why, for the job's record. */
public final class CommandRefusedException extends Exception {

    private final CommandVerifier.Reason reason;

    public CommandRefusedException(CommandVerifier.Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public CommandVerifier.Reason reason() {
        return reason;
    }
}
