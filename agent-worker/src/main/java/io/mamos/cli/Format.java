package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** How {@code mamos} shows durations, times, targets and labels. */
final class Format {

    private static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    private Format() {
    }

    /** {@code 850ms}, {@code 3.2s}, {@code 4m05s}, {@code 2h03m}. */
    static String duration(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format("%.1fs", millis / 1000.0);
        }
        Duration d = Duration.ofMillis(millis);
        if (d.toHours() == 0) {
            return String.format("%dm%02ds", d.toMinutes(), d.toSecondsPart());
        }
        return String.format("%dh%02dm", d.toHours(), d.toMinutesPart());
    }

    static String duration(JsonNode millis) {
        return millis == null || millis.isNull() || millis.isMissingNode() ? null : duration(millis.asLong());
    }

    /** An API timestamp in the local time zone, or null. */
    static String time(JsonNode iso) {
        if (iso == null || iso.isNull() || iso.isMissingNode()) {
            return null;
        }
        try {
            return LOCAL_TIME.format(Instant.parse(iso.asText()));
        } catch (DateTimeParseException e) {
            return iso.asText();
        }
    }

    /** What a job targets, as one would type it: {@code -a id1,id2}, {@code -l env=prod}, {@code --all}. */
    static String targets(JsonNode job) {
        JsonNode targets = job.path("targets");
        if (targets.hasNonNull("selector")) {
            return "-l " + targets.get("selector").asText();
        }
        if (targets.path("all").asBoolean(false)) {
            return "--all";
        }
        if (targets.path("agentIds").isArray()) {
            List<String> ids = new ArrayList<>();
            targets.get("agentIds").forEach(id -> ids.add(id.asText()));
            return "-a " + String.join(",", ids);
        }
        return job.hasNonNull("agentId") ? "-a " + job.get("agentId").asText() : null;
    }

    static String command(JsonNode job) {
        StringBuilder line = new StringBuilder(job.path("command").asText());
        job.path("args").forEach(arg -> line.append(' ').append(arg.asText()));
        return line.toString();
    }

    static String labels(JsonNode labels) {
        List<String> pairs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = labels.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> label = it.next();
            pairs.add(label.getKey() + "=" + label.getValue().asText());
        }
        return String.join(",", pairs);
    }

    /** Runs by state, in the order of the life cycle: {@code 2 SUCCEEDED, 1 FAILED}. */
    static String summary(JsonNode summary) {
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = summary.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> state = it.next();
            if (state.getValue().asInt() > 0) {
                parts.add(state.getValue().asInt() + " " + state.getKey());
            }
        }
        return String.join(", ", parts);
    }

    /** {@code 5} stays a number; {@code 20%} is a share; anything else is left to the server to refuse. */
    static Object countOrShare(String value) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.matches("[0-9]{1,9}")) {
            return Integer.parseInt(trimmed);
        }
        return trimmed;
    }
}
