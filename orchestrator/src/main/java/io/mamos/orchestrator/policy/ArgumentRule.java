package io.mamos.orchestrator.policy;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What one argument may be. Every kind that is set must hold:
 * {@code enum} (one of the listed values, exactly), {@code pattern} (a regular expression the
 * whole argument must match) and {@code pathPrefix} (an absolute path that, normalised, is one
 * of the listed files or lies under one of the listed folders, those ending in {@code /}).
 *
 * @param name       what the argument means, for error messages and the UI (e.g. {@code file})
 * @param values     the {@code enum}: allowed values, or empty for any
 * @param pattern    the {@code pattern}, or null for any
 * @param pathPrefix the {@code pathPrefix}: allowed files and folders, or empty for any
 */
public record ArgumentRule(String name, List<String> values, Pattern pattern, List<String> pathPrefix) {

    public ArgumentRule {
        values = values == null ? List.of() : List.copyOf(values);
        pathPrefix = pathPrefix == null ? List.of() : List.copyOf(pathPrefix);
        for (String prefix : pathPrefix) {
            if (!prefix.startsWith("/") || !normalize(prefix).equals(stripTrailingSlash(prefix))) {
                throw new IllegalStateException("pathPrefix '" + prefix + "' must be an absolute, normalised path");
            }
        }
    }

    /**
     * Checks {@code arg} and returns the value to run: the argument itself, or for a path rule its
     * normalised form, so what was checked is exactly what the agent runs (the kernel would resolve
     * {@code ..} after following symlinks, which a textual check cannot see).
     *
     * @param where names the argument in a refusal, e.g. {@code argument 1 ('file') of 'cat'}
     * @throws PolicyViolationException naming the argument and the rule it breaks
     */
    String check(String where, String arg) {
        if (!values.isEmpty() && !values.contains(arg)) {
            throw new PolicyViolationException(where + " violates enum: must be one of " + values);
        }
        if (pattern != null && !pattern.matcher(arg).matches()) {
            throw new PolicyViolationException(where + " violates pattern: must match " + pattern.pattern());
        }
        if (pathPrefix.isEmpty()) {
            return arg;
        }
        String normalized = normalizedPath(arg);
        if (normalized == null || !underAllowedPrefix(normalized, pathPrefix)) {
            throw new PolicyViolationException(where + " violates pathPrefix: must be an absolute path under one of "
                    + pathPrefix + (normalized == null || normalized.equals(arg) ? "" : " (normalised: " + normalized
                    + ")"));
        }
        return normalized;
    }

    /**
     * The path with {@code .}, {@code ..} and repeated slashes resolved textually ({@code ..} stops
     * at the root), or null if it is not a plain absolute path: relative, or holding a control
     * character, a backslash or a {@code %} (nothing decodes escapes on the way to the agent, but
     * a value that some reader could decode to another path is refused rather than guessed at).
     */
    static String normalizedPath(String arg) {
        if (!arg.startsWith("/")) {
            return null;
        }
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\' || c == '%') {
                return null;
            }
        }
        try {
            return normalize(arg);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    static boolean underAllowedPrefix(String normalized, List<String> prefixes) {
        Path path = Path.of(normalized);
        for (String prefix : prefixes) {
            Path allowed = Path.of(prefix);
            // A prefix ending in / is a folder: anything below it. Otherwise it names one file.
            if (path.equals(allowed) || (prefix.endsWith("/") && path.startsWith(allowed))) {
                return true;
            }
        }
        return false;
    }

    private static String normalize(String path) {
        return Path.of(path).normalize().toString();
    }

    private static String stripTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
