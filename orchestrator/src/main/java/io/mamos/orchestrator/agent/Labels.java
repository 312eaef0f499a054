package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.web.InvalidRequestException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Agent labels ({@code env=prod}, {@code role=web}) as jobs select on them. Keys and values
 * follow Kubernetes' shape, so a selector never needs quoting: keys of letters, digits and
 * {@code _ . / -} starting with a letter or digit (at most 63), values of letters, digits and
 * {@code _ . -} (at most 63, may be empty). At most {@value #MAX_LABELS} labels per agent.
 */
public final class Labels {

    public static final int MAX_LABELS = 32;
    static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_./-]{0,62}");
    static final Pattern VALUE = Pattern.compile("[A-Za-z0-9_.-]{0,63}");

    private Labels() {
    }

    /** A sorted copy, or a 400 naming the first bad key or value. */
    public static Map<String, String> validated(Map<String, String> labels) {
        if (labels == null) {
            return Map.of();
        }
        if (labels.size() > MAX_LABELS) {
            throw new InvalidRequestException("at most " + MAX_LABELS + " labels are allowed, got " + labels.size());
        }
        Map<String, String> sorted = new TreeMap<>();
        labels.forEach((key, value) -> {
            if (key == null || !KEY.matcher(key).matches()) {
                throw new InvalidRequestException("label key '" + key + "' is invalid: use 1-63 letters, digits or"
                        + " _ . / -, starting with a letter or digit");
            }
            if (value == null || !VALUE.matcher(value).matches()) {
                throw new InvalidRequestException("label " + key + " has invalid value '" + value
                        + "': use at most 63 letters, digits or _ . -");
            }
            sorted.put(key, value);
        });
        return sorted;
    }
}
