package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.auth.Role;
import java.util.List;
import java.util.Set;

/**
 * One whitelisted command: the executable it maps to, what its arguments may be, how long it
 * may run and who may run it.
 *
 * @param name              the name jobs use
 * @param description       what it is for, shown to users
 * @param executable        absolute path of the program; run directly, never through a shell
 * @param minArgs           fewest arguments allowed
 * @param maxArgs           most arguments allowed
 * @param args              rules for the arguments by position (the first rule for the first argument)
 * @param rest              rule for every argument after those, or null when they are unchecked
 * @param maxTimeoutSeconds the longest timeout a job of this command may ask for
 * @param roles             the roles allowed to run it
 */
public record CommandRule(
        String name,
        String description,
        String executable,
        int minArgs,
        int maxArgs,
        List<ArgumentRule> args,
        ArgumentRule rest,
        long maxTimeoutSeconds,
        Set<Role> roles) {

    public CommandRule {
        args = List.copyOf(args);
        roles = Set.copyOf(roles);
    }

    /** The rule argument {@code index} (0-based) must follow, or null when it is unchecked. */
    ArgumentRule ruleFor(int index) {
        return index < args.size() ? args.get(index) : rest;
    }
}
