package io.mamos.agent.execution;

/** The local {@link Allowlist} refused an executable; the message says why, for the job's record. */
public final class CommandRefusedException extends Exception {

    public CommandRefusedException(String message) {
        super(message);
    }
}
