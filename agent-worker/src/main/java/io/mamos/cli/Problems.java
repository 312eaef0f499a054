package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an error answer of the API ({@code application/problem+json}) into plain words and an
 * exit code: the title, the detail, and each field error on a line of its own.
 */
final class Problems {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    static CliException of(String method, String path, int status, String body) {
        return new CliException(exitCode(status), message(method, path, status, body));
    }

    static int exitCode(int status) {
        return switch (status) {
            case 401 -> CliExit.UNAUTHENTICATED;
            case 403 -> CliExit.FORBIDDEN;
            case 404 -> CliExit.NOT_FOUND;
            case 400, 409, 413, 422, 429 -> CliExit.REFUSED;
            default -> status >= 500 ? CliExit.UNAVAILABLE : CliExit.SOFTWARE;
        };
    }

    static String message(String method, String path, int status, String body) {
        String title = null;
        String detail = null;
        try {
            JsonNode problem = body == null || body.isBlank() ? null : JSON.readTree(body);
            if (problem != null && problem.isObject()) {
                title = text(problem, "title");
                detail = text(problem, "detail");
            }
        } catch (IOException notJson) {
            // A proxy's HTML page says nothing useful; the status line below is all there is.
        }
        String head = title != null ? title : "HTTP " + status;
        if (status == 401) {
            head += " (run `mamos login`, or set MAMOS_TOKEN)";
        }
        if (detail == null || detail.equals(title)) {
            return head + " [" + method + " " + path + " answered " + status + "]";
        }
        List<String> fieldErrors = fieldErrors(detail);
        if (fieldErrors.size() > 1) {
            return head + ":\n  - " + String.join("\n  - ", fieldErrors);
        }
        return head + ": " + detail;
    }

    /** The orchestrator joins a request's field errors with "; " ({@code field: message; field: message}). */
    static List<String> fieldErrors(String detail) {
        List<String> errors = new ArrayList<>();
        for (String part : detail.split("; ")) {
            if (!part.isBlank()) {
                errors.add(part.strip());
            }
        }
        return errors;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}
