package io.mamos.agent;

/**
 * Process exit codes of {@code mamos-agent}. Distinct codes let install scripts and systemd tell
 * a bad token (do not retry) from an unreachable server (retry later).
 */
public final class ExitCodes {

    public static final int OK = 0;
    /** An unexpected error; the stack trace is printed. */
    public static final int SOFTWARE = 1;
    /** Invalid or missing options (picocli's own usage code). */
    public static final int USAGE = 2;
    /** The orchestrator refused the enrollment (unknown, expired or used token). */
    public static final int REFUSED = 3;
    /** The orchestrator or Temporal could not be reached, or answered with a server error. */
    public static final int UNAVAILABLE = 4;
    /** The config file is missing, invalid, already present, or cannot be written. */
    public static final int CONFIG = 5;
    /** The orchestrator no longer accepts this agent's credential (decommissioned or revoked): enroll anew. */
    public static final int CREDENTIAL_REVOKED = 6;

    private ExitCodes() {
    }
}
