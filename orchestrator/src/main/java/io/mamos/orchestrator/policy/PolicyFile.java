package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.auth.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the YAML policy (format in {@code default-policy.yml}). Strict: an unknown key, a bad
 * regular expression or a relative path stops the orchestrator at start-up, so a typo cannot
 * silently widen what is allowed.
 */
record PolicyFile(long maxTimeoutSeconds, Map<String, CommandRule> rules) {

    static final String DEFAULT_POLICY = "/policy/default-policy.yml";
    static final Set<Role> DEFAULT_ROLES = EnumSet.of(Role.OPERATOR, Role.ADMIN);

    private static final Set<String> COMMAND_KEYS = Set.of("description", "executable", "minArgs", "maxArgs",
            "args", "rest", "maxTimeoutSeconds", "roles");
    private static final Set<String> ARGUMENT_KEYS = Set.of("name", "enum", "pattern", "pathPrefix");

    static PolicyFile load(Path file) {
        Map<String, Object> document = read(file);
        unknownKeys("the policy", document, Set.of("maxTimeoutSeconds", "commands"));
        long ceiling = number(document, "maxTimeoutSeconds", 3600, "the policy");
        if (!(document.get("commands") instanceof Map<?, ?> commands)) {
            throw new IllegalStateException("the command policy needs a 'commands' mapping");
        }
        Map<String, CommandRule> parsed = new LinkedHashMap<>();
        commands.forEach((key, value) -> {
            String name = String.valueOf(key);
            parsed.put(name, command(name, mapping(value, "policy entry '" + name + "'"), ceiling));
        });
        return new PolicyFile(ceiling, Map.copyOf(parsed));
    }

    private static CommandRule command(String name, Map<String, Object> entry, long ceiling) {
        String where = "policy entry '" + name + "'";
        unknownKeys(where, entry, COMMAND_KEYS);
        if (!(entry.get("executable") instanceof String executable) || !executable.startsWith("/")) {
            throw new IllegalStateException(where + " needs an absolute 'executable'");
        }
        List<ArgumentRule> args = new ArrayList<>();
        if (entry.get("args") instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                args.add(argument(mapping(list.get(i), where + " args[" + i + "]"), where + " args[" + i + "]"));
            }
        } else if (entry.containsKey("args")) {
            throw new IllegalStateException(where + ": 'args' must be a list of argument rules");
        }
        ArgumentRule rest = entry.get("rest") == null ? null
                : argument(mapping(entry.get("rest"), where + " rest"), where + " rest");
        if (rest != null && !entry.containsKey("maxArgs")) {
            throw new IllegalStateException(where + " has a 'rest' rule and needs an explicit 'maxArgs'");
        }
        int minArgs = (int) number(entry, "minArgs", 0, where);
        int maxArgs = (int) number(entry, "maxArgs", args.size(), where);
        if (minArgs < 0 || maxArgs < minArgs) {
            throw new IllegalStateException(where + ": need 0 <= minArgs <= maxArgs");
        }
        long maxTimeout = number(entry, "maxTimeoutSeconds", ceiling, where);
        if (maxTimeout < 1 || maxTimeout > ceiling) {
            throw new IllegalStateException(where + ": maxTimeoutSeconds must be between 1 and " + ceiling);
        }
        return new CommandRule(name, String.valueOf(entry.getOrDefault("description", "")), executable, minArgs,
                maxArgs, args, rest, maxTimeout, roles(entry.get("roles"), where));
    }

    private static ArgumentRule argument(Map<String, Object> rule, String where) {
        unknownKeys(where, rule, ARGUMENT_KEYS);
        Pattern pattern = null;
        if (rule.get("pattern") != null) {
            try {
                pattern = Pattern.compile(String.valueOf(rule.get("pattern")));
            } catch (PatternSyntaxException e) {
                throw new IllegalStateException(where + ": invalid pattern: " + e.getDescription(), e);
            }
        }
        try {
            return new ArgumentRule(rule.get("name") == null ? null : String.valueOf(rule.get("name")),
                    strings(rule.get("enum"), where + " enum"), pattern, strings(rule.get("pathPrefix"),
                    where + " pathPrefix"));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(where + ": " + e.getMessage(), e);
        }
    }

    private static Set<Role> roles(Object value, String where) {
        if (value == null) {
            return DEFAULT_ROLES;
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String role : strings(value, where + " roles")) {
            try {
                roles.add(Role.valueOf(role.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(where + ": unknown role '" + role + "'", e);
            }
        }
        if (roles.isEmpty()) {
            throw new IllegalStateException(where + ": 'roles' must name at least one role");
        }
        return roles;
    }

    private static List<String> strings(Object value, String where) {
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalStateException(where + " must be a list");
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static long number(Map<String, Object> map, String key, long fallback, String where) {
        Object value = map.get(key);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Number number)) {
            throw new IllegalStateException(where + ": '" + key + "' must be a number");
        }
        return number.longValue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> mapping(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalStateException(where + " must be a mapping");
        }
        return (Map<String, Object>) value;
    }

    /** Keys of the earlier policy format, and what replaced them. */
    private static final Map<String, String> RENAMED = Map.of(
            "argPattern", "'rest: {pattern: ...}' (or a rule per position under 'args')",
            "pathPrefixes", "'rest: {pathPrefix: [...]}' (or a rule per position under 'args')");

    private static void unknownKeys(String where, Map<String, Object> map, Set<String> known) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                String hint = RENAMED.containsKey(String.valueOf(key)) ? "; it is now " + RENAMED.get(key) : "";
                throw new IllegalStateException(where + ": unknown key '" + key + "'" + hint + "; known keys: "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static Map<String, Object> read(Path file) {
        var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (InputStream in = file == null ? PolicyFile.class.getResourceAsStream(DEFAULT_POLICY)
                : Files.newInputStream(file)) {
            if (in == null) {
                throw new IllegalStateException("built-in policy " + DEFAULT_POLICY + " is missing");
            }
            return mapping(yaml.load(in), "the command policy");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command policy " + file, e);
        }
    }
}
