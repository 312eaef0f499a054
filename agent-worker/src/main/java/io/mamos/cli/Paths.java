package io.mamos.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Ids typed by the user go into URL paths encoded, so a stray '/' or '?' cannot reach another endpoint. */
final class Paths {

    private Paths() {
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
