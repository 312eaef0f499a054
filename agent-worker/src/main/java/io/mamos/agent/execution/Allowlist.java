package io.mamos.agent.execution;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The executables this agent will run, whatever arrives on its queue, and for some of them the
 * only files their arguments may name. It is the agent's own last line of defence: the
 * orchestrator's policy is checked first, but a compromised or misconfigured orchestrator must
 * still not be able to run anything else here.
 *
 * <p>An entry is an absolute executable, optionally followed by {@code =} and {@code |}-separated
 * allowed paths ({@code /usr/bin/cat=/proc/cpuinfo|/var/log/}; a path ending in {@code /} is a
 * folder). Every argument of such an executable must then be an absolute path that, with every
 * symlink resolved on this host, is one of those files or lies under one of those folders; the
 * command is given the resolved path. The orchestrator's policy checks the text only, so a symlink
 * under {@code /var/log/} pointing at {@code /etc/shadow} is refused here.
 */
public final class Allowlist {

    /** The executables of the orchestrator's default command policy, cat with its policy's files. */
    public static final String DEFAULT_EXECUTABLES = "/usr/bin/echo,/usr/bin/sleep,/usr/bin/uname,"
            + "/usr/bin/uptime,/usr/bin/df,/usr/bin/free,/usr/bin/hostname,/usr/bin/date,"
            + "/usr/bin/true,/usr/bin/false,/usr/bin/cat=/proc/cpuinfo|/proc/meminfo|/proc/loadavg|/proc/version"
            + "|/proc/uptime|/proc/stat|/proc/mounts|/etc/os-release|/var/log/,/usr/bin/vmstat";

    private final Set<Path> executables;
    private final Map<Path, List<String>> pathRules;

    private Allowlist(Set<Path> executables, Map<Path, List<String>> pathRules) {
        this.executables = Set.copyOf(executables);
        this.pathRules = Map.copyOf(pathRules);
    }

    /**
     * Builds an allowlist from absolute paths, each optionally with its allowed argument paths;
     * blank entries are skipped.
     *
     * @throws IllegalArgumentException if an executable or an allowed path is not absolute
     */
    public static Allowlist of(Collection<String> entries) {
        Set<Path> paths = new LinkedHashSet<>();
        Map<Path, List<String>> rules = new LinkedHashMap<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int equals = trimmed.indexOf('=');
            String executable = equals < 0 ? trimmed : trimmed.substring(0, equals).trim();
            Path path = toPath(executable);
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("allowlist entry is not an absolute path: " + trimmed);
            }
            paths.add(path.normalize());
            if (equals >= 0) {
                rules.put(path.normalize(), allowedPaths(trimmed.substring(equals + 1), trimmed));
            }
        }
        return new Allowlist(paths, rules);
    }

    private static List<String> allowedPaths(String value, String entry) {
        List<String> allowed = new ArrayList<>();
        for (String part : value.split("\\|")) {
            String prefix = part.trim();
            Path path = toPath(prefix);
            if (prefix.isEmpty() || path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("allowed argument path is not absolute in: " + entry);
            }
            allowed.add(prefix.endsWith("/") && prefix.length() > 1 ? path.normalize() + "/" : path.normalize().toString());
        }
        return List.copyOf(allowed);
    }

    /** Parses the comma-separated form used on the command line and in the config file. */
    public static Allowlist parse(String commaSeparated) {
        return of(List.of(commaSeparated.split(",")));
    }

    /**
     * Returns the normalized path to execute. The caller runs this path, not the string it was
     * given, so what was checked is exactly what runs.
     *
     * @throws CommandRefusedException if the executable is relative or not listed
     */
    public Path requirePermitted(String executable) throws CommandRefusedException {
        Path path = executable == null ? null : toPath(executable);
        if (path == null || !path.isAbsolute()) {
            throw new CommandRefusedException(CommandVerifier.Reason.ALLOWLIST,
                    "executable must be an absolute path, got '" + executable + "'");
        }
        Path normalized = path.normalize();
        if (!executables.contains(normalized)) {
            throw new CommandRefusedException(CommandVerifier.Reason.ALLOWLIST,
                    "executable " + normalized + " is not in this agent's allowlist");
        }
        return normalized;
    }

    /**
     * The arguments to run {@code executable} with: unchanged when it has no path rule, else each
     * one resolved (symlinks followed, so it must exist) and checked against the rule.
     *
     * @throws CommandRefusedException naming the argument's position (never its value) and the rule
     */
    public List<String> permittedArguments(Path executable, List<String> args) throws CommandRefusedException {
        List<String> allowed = pathRules.get(executable);
        if (allowed == null) {
            return args;
        }
        List<String> resolved = new ArrayList<>(args.size());
        for (int i = 0; i < args.size(); i++) {
            resolved.add(resolvedWithin(allowed, i, args.get(i), executable));
        }
        return List.copyOf(resolved);
    }

    private static String resolvedWithin(List<String> allowed, int index, String arg, Path executable)
            throws CommandRefusedException {
        String where = "argument " + (index + 1) + " of " + executable;
        Path path = arg == null ? null : toPath(arg);
        if (path == null || !path.isAbsolute()) {
            throw new CommandRefusedException(CommandVerifier.Reason.ALLOWLIST, where + " must be an absolute path");
        }
        Path real;
        try {
            real = path.toRealPath();
        } catch (IOException | SecurityException e) {
            throw new CommandRefusedException(CommandVerifier.Reason.ALLOWLIST, where
                    + " names no readable file on this agent");
        }
        for (String prefix : allowed) {
            Path rule = realOrNormalized(Path.of(prefix));
            if (real.equals(rule) || (prefix.endsWith("/") && real.startsWith(rule) && !real.equals(rule))) {
                return real.toString();
            }
        }
        throw new CommandRefusedException(CommandVerifier.Reason.ALLOWLIST, where + ", with symlinks resolved, is"
                + " not under this agent's allowed paths " + allowed);
    }

    /** An allowed path with its own symlinks resolved (/var/log may be one), or as written if absent. */
    private static Path realOrNormalized(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.normalize();
        }
    }

    public List<Path> executables() {
        return executables.stream().sorted().toList();
    }

    /** The comma-separated form, for the config file. */
    public String toConfigValue() {
        return executables().stream()
                .map(path -> pathRules.containsKey(path) ? path + "=" + String.join("|", pathRules.get(path))
                        : path.toString())
                .collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Allowlist that && executables.equals(that.executables)
                && pathRules.equals(that.pathRules);
    }

    @Override
    public int hashCode() {
        return executables.hashCode() * 31 + pathRules.hashCode();
    }

    @Override
    public String toString() {
        return toConfigValue();
    }

    private static Path toPath(String value) {
        // A NUL byte or similar cannot name a file; treat it like any other unlisted executable.
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
