package io.mamos.orchestrator.auth;

/** What a user may do: admins manage the system, operators run jobs, viewers read. */
public enum Role {
    ADMIN,
    OPERATOR,
    VIEWER;

    /** Whether a token's role claim names a user role (and not, say, AGENT, which no token may grant). */
    static boolean isUserRole(String name) {
        for (Role role : values()) {
            if (role.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
