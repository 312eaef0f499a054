package io.mamos.agent.enroll;

/**
 * Body of {@code POST /api/v1/enrollments}.
 *
 * @param token        the one-time enrollment token; never logged or printed
 * @param hostname     this machine's name as the dashboard should show it
 * @param os           operating system, version and architecture
 * @param agentVersion the version of this agent
 */
public record EnrollmentRequest(String token, String hostname, String os, String agentVersion) {

    /** Leaves the token out, so a request that ends up in a log leaks nothing. */
    @Override
    public String toString() {
        return "EnrollmentRequest[token=***, hostname=" + hostname + ", os=" + os
                + ", agentVersion=" + agentVersion + "]";
    }
}
