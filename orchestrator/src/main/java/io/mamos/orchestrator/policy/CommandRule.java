package io.mamos.orchestrator.policy;

import java.util.List;
import java.util.regex.Pattern;

/**
 * One whitelisted command: the executable it maps to and what its arguments may be.
 *
 * @param name         the name jobs use
 * @param description  what it is for, shown to users
 * @param executable   absolute path of the program; run directly, never through a shell
 * @param minArgs      fewest arguments allowed
 * @param maxArgs      most arguments allowed
 * @param argPattern   when set, every argument must match it entirely
 * @param pathPrefixes when set, every argument must be a path that, normalized, lies under one of these
 */
public record CommandRule(
        String name,
        String description,
        String executable,
        int minArgs,
        int maxArgs,
        Pattern argPattern,
        List<String> pathPrefixes) {
}
