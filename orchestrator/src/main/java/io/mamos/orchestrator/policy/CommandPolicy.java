package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.CommandSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.stereotype.Component;

/**
 * The command whitelist. A job names a command; the policy maps it to an executable, checks every
 * argument against its rule, the timeout against the command's maximum and the caller's role
 * against the roles allowed to run it. Anything not in the policy is refused before it reaches
 * Temporal. Arguments stay literal argv entries: no shell ever sees them.
 */
@Component
public class CommandPolicy {

    static final int MAX_ARG_LENGTH = 4096;

    private static final Logger log = LoggerFactory.getLogger(CommandPolicy.class);

    private final Map<String, CommandRule> rules;
    private final long maxTimeoutSeconds;

    public CommandPolicy(MamosProperties properties) {
        PolicyFile file = PolicyFile.load(properties.policyFile());
        this.maxTimeoutSeconds = file.maxTimeoutSeconds();
        this.rules = file.rules();
        log.info("command policy loaded from {}: {} commands", properties.policyFile() == null ? "the built-in default"
                : properties.policyFile(), rules.size());
    }

    public Collection<CommandRule> rules() {
        return rules.values();
    }

    /** The ceiling no command's timeout may exceed. */
    public long maxTimeoutSeconds() {
        return maxTimeoutSeconds;
    }

    /**
     * Resolves a request to the exact command to run, or explains why it is refused.
     *
     * @param role the caller's role (see {@link #callerRole})
     * @throws PolicyViolationException (422) naming the argument and the rule it breaks
     * @throws CommandForbiddenException (403) if the role may not run the command
     */
    public CommandSpec resolve(String name, List<String> args, Role role) {
        CommandRule rule = rules.get(name);
        if (rule == null) {
            throw new PolicyViolationException("command '" + name + "' is not whitelisted; allowed: "
                    + String.join(", ", rules.keySet().stream().sorted().toList()));
        }
        requireMayRun(rule, role);
        List<String> argv = args == null ? List.of() : args;
        if (argv.size() < rule.minArgs() || argv.size() > rule.maxArgs()) {
            throw new PolicyViolationException("command '" + name + "' takes " + rule.minArgs() + " to "
                    + rule.maxArgs() + " arguments, got " + argv.size());
        }
        List<String> checked = new ArrayList<>(argv.size());
        for (int i = 0; i < argv.size(); i++) {
            checked.add(checkArgument(rule, i, argv.get(i)));
        }
        return new CommandSpec(rule.name(), rule.executable(), checked);
    }

    /**
     * Refuses (403) a role that may not run {@code name}; a command no longer in the policy may be
     * run by nobody, so only an admin may still act on what refers to it.
     */
    public void requireMayRun(String name, Role role) {
        CommandRule rule = rules.get(name);
        if (rule == null) {
            if (role != Role.ADMIN) {
                throw new CommandForbiddenException("command '" + name + "' is no longer whitelisted; only an "
                        + "admin may act on what refers to it");
            }
            return;
        }
        requireMayRun(rule, role);
    }

    private static void requireMayRun(CommandRule rule, Role role) {
        if (role == null || !rule.roles().contains(role)) {
            throw new CommandForbiddenException("command '" + rule.name() + "' may be run by " + rule.roles().stream()
                    .map(Role::name).sorted().toList() + ", not by " + (role == null ? "an unknown role" : role));
        }
    }

    /**
     * The timeout a job of {@code command} gets: the requested one if it is within the command's
     * maximum, else a refusal; without a request, {@code defaultSeconds} capped at that maximum.
     */
    public long timeoutSeconds(String command, Long requested, long defaultSeconds) {
        CommandRule rule = rules.get(command);
        long max = rule == null ? maxTimeoutSeconds : rule.maxTimeoutSeconds();
        if (requested == null) {
            return Math.min(defaultSeconds, max);
        }
        if (requested < 1 || requested > max) {
            throw new PolicyViolationException("timeoutSeconds of '" + command + "' must be between 1 and " + max
                    + ", got " + requested);
        }
        return requested;
    }

    /** The most powerful role the caller holds ({@code ROLE_*} authorities), or null for none. */
    public static Role callerRole(Authentication caller) {
        if (caller == null) {
            return null;
        }
        List<String> held = caller.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
        for (Role role : Role.values()) { // declared from most to least powerful
            if (held.contains("ROLE_" + role.name())) {
                return role;
            }
        }
        return null;
    }

    private static String checkArgument(CommandRule rule, int index, String arg) {
        ArgumentRule argRule = rule.ruleFor(index);
        String where = "argument " + (index + 1) + (argRule == null || argRule.name() == null ? ""
                : " ('" + argRule.name() + "')") + " of '" + rule.name() + "'";
        if (arg == null) {
            throw new PolicyViolationException(where + " is null");
        }
        if (arg.length() > MAX_ARG_LENGTH) {
            throw new PolicyViolationException(where + " is longer than " + MAX_ARG_LENGTH + " characters");
        }
        if (arg.indexOf('\0') >= 0) {
            throw new PolicyViolationException(where + " contains a NUL character");
        }
        return argRule == null ? arg : argRule.check(where, arg);
    }
}
