package io.mamos.agent.execution;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The executables this agent will run, whatever arrives on its queue. It is the agent's own
 * last line of defence: the orchestrator's policy is checked first, but a compromised or
 * misconfigured orchestrator must still not be able to run anything else here.
 */
public final class Allowlist {

    /** The executables of the orchestrator's default command policy. */
    public static final String DEFAULT_EXECUTABLES = "/usr/bin/echo,/usr/bin/sleep,/usr/bin/uname,"
            + "/usr/bin/uptime,/usr/bin/df,/usr/bin/free,/usr/bin/hostname,/usr/bin/date,"
            + "/usr/bin/true,/usr/bin/false,/usr/bin/cat,/usr/bin/vmstat";

    private final Set<Path> executables;

    private Allowlist(Set<Path> executables) {
        this.executables = Set.copyOf(executables);
    }

    /**
     * Builds an allowlist from absolute paths; blank entries are skipped.
     *
     * @throws IllegalArgumentException if an entry is not an absolute path
     */
    public static Allowlist of(Collection<String> entries) {
        Set<Path> paths = new LinkedHashSet<>();
        for (String entry : entries) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            Path path = toPath(trimmed);
            if (path == null || !path.isAbsolute()) {
                throw new IllegalArgumentException("allowlist entry is not an absolute path: " + trimmed);
            }
            paths.add(path.normalize());
        }
        return new Allowlist(paths);
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

    public List<Path> executables() {
        return executables.stream().sorted().toList();
    }

    /** The comma-separated form, for the config file. */
    public String toConfigValue() {
        return executables().stream().map(Path::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Allowlist that && executables.equals(that.executables);
    }

    @Override
    public int hashCode() {
        return executables.hashCode();
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
