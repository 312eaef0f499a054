package io.mamos.orchestrator.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one JSON mapper of the end-to-end tests (Jackson 3, as Spring Boot 4 uses). */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    /** Parses {@code text}; blank text is the missing node, so lookups on it stay safe. */
    static JsonNode read(String text) {
        return text == null || text.isBlank() ? MAPPER.missingNode() : MAPPER.readTree(text);
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }
}
