package io.mamos.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reads the explanation out of an orchestrator's {@code application/problem+json} answer. */
public final class ProblemDetails {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemDetails() {
    }

    /** The problem's {@code detail} (or {@code title}); the raw body is never echoed. */
    public static String of(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            if (problem != null && problem.hasNonNull("detail")) {
                return problem.get("detail").asText();
            }
            if (problem != null && problem.hasNonNull("title")) {
                return problem.get("title").asText();
            }
        } catch (IOException notJson) {
            // Fall through: a proxy's HTML error page says nothing useful.
        }
        return "no details given";
    }
}
