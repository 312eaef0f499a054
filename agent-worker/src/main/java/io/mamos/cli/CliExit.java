package io.mamos.cli;

/**
 * Exit codes of {@code mamos}. Scripts can tell "a run failed" (3) from "the server refused the
 * request" (8) from "the server is down" (4) without parsing messages.
 */
public final class CliExit {

    public static final int OK = 0;
    /** An unexpected error; the stack trace is printed. */
    public static final int SOFTWARE = 1;
    /** Invalid or missing options (picocli's usage code). */
    public static final int USAGE = 2;
    /** The job ended and at least one of its runs did not succeed. */
    public static final int JOB_FAILED = 3;
    /** The orchestrator could not be reached, or answered with a server error. */
    public static final int UNAVAILABLE = 4;
    /** Not logged in, or the session ended (HTTP 401): run {@code mamos login}. */
    public static final int UNAUTHENTICATED = 5;
    /** Logged in, but the role may not do this (HTTP 403). */
    public static final int FORBIDDEN = 6;
    /** No such job, agent, schedule or token (HTTP 404). */
    public static final int NOT_FOUND = 7;
    /** The request was refused as invalid or conflicting (HTTP 400, 409, 413, 422, 429). */
    public static final int REFUSED = 8;
    /** Detached from a job that is still running; its outcome is unknown to this command. */
    public static final int DETACHED = 9;

    static final String[] LIST = {
        OK + ":Success (for run and watch: every run succeeded)",
        SOFTWARE + ":Unexpected error",
        USAGE + ":Invalid or missing options",
        JOB_FAILED + ":The job ended and a run did not succeed",
        UNAVAILABLE + ":Orchestrator unreachable or failing",
        UNAUTHENTICATED + ":Not logged in, or the session ended",
        FORBIDDEN + ":Your role may not do this",
        NOT_FOUND + ":No such job, agent, schedule or token",
        REFUSED + ":Request refused (invalid, conflicting, not allowed by the policy)",
        DETACHED + ":Detached from a job still running",
    };

    private CliExit() {
    }
}
