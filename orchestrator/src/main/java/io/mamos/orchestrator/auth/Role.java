package io.mamos.orchestrator.auth;

/** What a user may do: admins manage the system, operators run jobs, viewers read. */
public enum Role {
    ADMIN,
    OPERATOR,
    VIEWER
}
