package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.CommandSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The command whitelist. A job names a command; the policy maps it to an executable and checks
 * every argument. Anything not in the policy is refused before it reaches Temporal.
 */
@Component
public class CommandPolicy {

    static final String DEFAULT_POLICY = "/policy/default-policy.yml";
    static final int MAX_ARG_LENGTH = 4096;

    private static final Logger log = LoggerFactory.getLogger(CommandPolicy.class);

    private final Map<String, CommandRule> rules;
    private final long maxTimeoutSeconds;

    public CommandPolicy(MamosProperties properties) {
        Map<String, Object> document = load(properties.policyFile());
        this.maxTimeoutSeconds = ((Number) document.getOrDefault("maxTimeoutSeconds", 3600)).longValue();
        this.rules = parseRules(document);
        log.info("command policy loaded from {}: {} commands", properties.policyFile() == null ? "the built-in default"
                : properties.policyFile(), rules.size());
    }

    public Collection<CommandRule> rules() {
        return rules.values();
    }

    public long maxTimeoutSeconds() {
        return maxTimeoutSeconds;
    }

    /** Resolves a request to the exact command to run, or explains why it is refused. */
    public CommandSpec resolve(String name, List<String> args) {
        CommandRule rule = rules.get(name);
        if (rule == null) {
            throw new PolicyViolationException("command '" + name + "' is not whitelisted; allowed: "
                    + String.join(", ", rules.keySet()));
        }
        List<String> argv = args == null ? List.of() : args;
        if (argv.size() < rule.minArgs() || argv.size() > rule.maxArgs()) {
            throw new PolicyViolationException("command '" + name + "' takes " + rule.minArgs() + " to "
                    + rule.maxArgs() + " arguments, got " + argv.size());
        }
        for (int i = 0; i < argv.size(); i++) {
            checkArgument(rule, i, argv.get(i));
        }
        return new CommandSpec(rule.name(), rule.executable(), argv);
    }

    private static void checkArgument(CommandRule rule, int index, String arg) {
        String where = "argument " + (index + 1) + " of '" + rule.name() + "'";
        if (arg == null) {
            throw new PolicyViolationException(where + " is null");
        }
        if (arg.length() > MAX_ARG_LENGTH) {
            throw new PolicyViolationException(where + " is longer than " + MAX_ARG_LENGTH + " characters");
        }
        if (arg.indexOf('\0') >= 0) {
            throw new PolicyViolationException(where + " contains a NUL character");
        }
        if (rule.argPattern() != null && !rule.argPattern().matcher(arg).matches()) {
            throw new PolicyViolationException(where + " does not match " + rule.argPattern().pattern());
        }
        if (!rule.pathPrefixes().isEmpty() && !underAllowedPrefix(arg, rule.pathPrefixes())) {
            throw new PolicyViolationException(where + " must be an absolute path under one of "
                    + rule.pathPrefixes());
        }
    }

    /** Normalizes first, so {@code /proc/../etc/shadow} cannot pass as a {@code /proc/} path. */
    static boolean underAllowedPrefix(String arg, List<String> prefixes) {
        if (!arg.startsWith("/")) {
            return false;
        }
        Path normalized = Path.of(arg).normalize();
        for (String prefix : prefixes) {
            Path allowed = Path.of(prefix).normalize();
            if (normalized.equals(allowed) || (prefix.endsWith("/") && normalized.startsWith(allowed))) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        var yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (InputStream in = file == null ? CommandPolicy.class.getResourceAsStream(DEFAULT_POLICY)
                : Files.newInputStream(file)) {
            if (in == null) {
                throw new IllegalStateException("built-in policy " + DEFAULT_POLICY + " is missing");
            }
            Object document = yaml.load(in);
            if (!(document instanceof Map)) {
                throw new IllegalStateException("the command policy must be a YAML mapping");
            }
            return (Map<String, Object>) document;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the command policy " + file, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, CommandRule> parseRules(Map<String, Object> document) {
        Object commands = document.get("commands");
        if (!(commands instanceof Map)) {
            throw new IllegalStateException("the command policy needs a 'commands' mapping");
        }
        Map<String, CommandRule> parsed = new LinkedHashMap<>();
        ((Map<Object, Object>) commands).forEach((key, value) -> {
            String name = String.valueOf(key);
            if (!(value instanceof Map)) {
                throw new IllegalStateException("policy entry '" + name + "' must be a mapping");
            }
            Map<String, Object> entry = (Map<String, Object>) value;
            String executable = (String) entry.get("executable");
            if (executable == null || !executable.startsWith("/")) {
                throw new IllegalStateException("policy entry '" + name + "' needs an absolute 'executable'");
            }
            String pattern = (String) entry.get("argPattern");
            List<String> prefixes = new ArrayList<>();
            if (entry.get("pathPrefixes") instanceof List<?> list) {
                list.forEach(prefix -> prefixes.add(String.valueOf(prefix)));
            }
            parsed.put(name, new CommandRule(name, (String) entry.getOrDefault("description", ""), executable,
                    ((Number) entry.getOrDefault("minArgs", 0)).intValue(),
                    ((Number) entry.getOrDefault("maxArgs", 0)).intValue(),
                    pattern == null ? null : Pattern.compile(pattern), List.copyOf(prefixes)));
        });
        return Map.copyOf(parsed);
    }
}
