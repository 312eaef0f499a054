package io.mamos.orchestrator.e2e;

import tools.jackson.databind.JsonNode;

/** One HTTP answer of the orchestrator: status, content type and body (parsed when JSON). */
record ApiResponse(String request, int status, String contentType, String body) {

    static final String PROBLEM_JSON = "application/problem+json";

    JsonNode json() {
        return Json.read(body);
    }

    /** True for RFC 9457 problem details, the orchestrator's only error format. */
    boolean isProblem() {
        return contentType != null && contentType.startsWith(PROBLEM_JSON);
    }

    /** The JSON body if the status is {@code expected}; otherwise fails with the whole answer. */
    JsonNode expect(int expected) {
        if (status != expected) {
            throw new AssertionError("expected " + expected + " from " + request + " but got " + this);
        }
        return json();
    }

    @Override
    public String toString() {
        return status + " (" + contentType + ") " + body;
    }
}
