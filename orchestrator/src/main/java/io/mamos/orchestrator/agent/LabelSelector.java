package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.web.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A label selector in Kubernetes' syntax: requirements joined by commas, all of which must hold.
 * <ul>
 * <li>{@code key=value}, {@code key==value}, {@code key!=value} (a missing key satisfies {@code !=})</li>
 * <li>{@code key in (a, b)}, {@code key notin (a, b)} (a missing key satisfies {@code notin})</li>
 * <li>{@code key} (the label exists), {@code !key} (it does not)</li>
 * </ul>
 * Example: {@code env=prod,role in (web,api),!canary}.
 */
public final class LabelSelector implements Predicate<Map<String, String>> {

    public static final int MAX_LENGTH = 1024;

    private final String text;
    private final List<Predicate<Map<String, String>>> requirements;

    private LabelSelector(String text, List<Predicate<Map<String, String>>> requirements) {
        this.text = text;
        this.requirements = requirements;
    }

    /** Parses a selector, or throws a 400 that says what is wrong and where. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidRequestException("the selector is empty");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidRequestException("the selector is longer than " + MAX_LENGTH + " characters");
        }
        List<Predicate<Map<String, String>>> requirements = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            requirements.add(requirement(part.strip(), text));
        }
        return new LabelSelector(text, List.copyOf(requirements));
    }

    @Override
    public boolean test(Map<String, String> labels) {
        return requirements.stream().allMatch(requirement -> requirement.test(labels));
    }

    @Override
    public String toString() {
        return text;
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    throw invalid(text, "unbalanced ')' at position " + (i + 1));
                }
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (depth != 0) {
            throw invalid(text, "unclosed '('");
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Predicate<Map<String, String>> requirement(String part, String text) {
        if (part.isEmpty()) {
            throw invalid(text, "empty requirement (two commas in a row, or a trailing comma)");
        }
        if (part.startsWith("!") && !part.contains("=")) {
            String key = key(part.substring(1).strip(), text);
            return labels -> !labels.containsKey(key);
        }
        int inAt = indexOfWord(part, "notin");
        boolean notIn = inAt >= 0;
        if (!notIn) {
            inAt = indexOfWord(part, "in");
        }
        if (inAt >= 0) {
            String key = key(part.substring(0, inAt).strip(), text);
            Set<String> values = values(part.substring(inAt + (notIn ? 5 : 2)).strip(), text);
            return notIn ? labels -> !labels.containsKey(key) || !values.contains(labels.get(key))
                    : labels -> labels.containsKey(key) && values.contains(labels.get(key));
        }
        int ne = part.indexOf("!=");
        if (ne >= 0) {
            String key = key(part.substring(0, ne).strip(), text);
            String value = value(part.substring(ne + 2).strip(), text);
            return labels -> !value.equals(labels.get(key));
        }
        int eq = part.indexOf('=');
        if (eq >= 0) {
            String key = key(part.substring(0, eq).strip(), text);
            String rest = part.substring(eq + 1);
            String value = value((rest.startsWith("=") ? rest.substring(1) : rest).strip(), text);
            return labels -> value.equals(labels.get(key));
        }
        String key = key(part, text);
        return labels -> labels.containsKey(key);
    }

    /** Index of {@code word} as a separate word followed by '(' (after optional spaces), or -1. */
    private static int indexOfWord(String part, String word) {
        int at = part.indexOf(" " + word);
        while (at >= 0) {
            String after = part.substring(at + 1 + word.length()).stripLeading();
            if (after.startsWith("(")) {
                return at + 1;
            }
            at = part.indexOf(" " + word, at + 1);
        }
        return -1;
    }

    private static Set<String> values(String list, String text) {
        if (!list.startsWith("(") || !list.endsWith(")")) {
            throw invalid(text, "a set must be written (a, b, ...), got '" + list + "'");
        }
        String inner = list.substring(1, list.length() - 1);
        if (inner.isBlank()) {
            throw invalid(text, "empty set '()'");
        }
        Set<String> values = new java.util.LinkedHashSet<>();
        for (String value : inner.split(",", -1)) {
            if (value.isBlank()) {
                throw invalid(text, "empty value in the set '" + list + "'");
            }
            values.add(value(value.strip(), text));
        }
        return Set.copyOf(values);
    }

    private static String key(String key, String text) {
        if (!Labels.KEY.matcher(key).matches()) {
            throw invalid(text, "'" + key + "' is not a valid label key");
        }
        return key;
    }

    private static String value(String value, String text) {
        if (!Labels.VALUE.matcher(value).matches()) {
            throw invalid(text, "'" + value + "' is not a valid label value");
        }
        return value;
    }

    private static InvalidRequestException invalid(String text, String problem) {
        return new InvalidRequestException("invalid selector '" + text + "': " + problem);
    }
}
