package io.mamos.agent.execution;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** Kills a command together with everything it started, so nothing outlives its job. */
final class ProcessTree {

    private static final long REAP_WAIT_SECONDS = 5;

    /** Rounds of find-and-kill, for processes forked while the previous round ran. */
    private static final int SWEEP_ROUNDS = 5;

    private static final Path PROC = Path.of("/proc");

    private static final String MARK = ProcessTag.VARIABLE + "=";

    private ProcessTree() {
    }

    /**
     * SIGKILLs the descendants, then the process itself. The descendants are listed while the
     * process still lives: once it is dead its children are re-parented and no longer found.
     * Best effort for a process that forks between the listing and the kill.
     */
    static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(REAP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILLs every process whose environment carries exactly {@code tagValue}: what a command left
     * running when it ended (daemonized or re-parented processes, which its tree no longer shows).
     *
     * @return the processes killed
     */
    static List<ProcessHandle> killTagged(String tagValue) {
        return sweep(tagValue::equals);
    }

    /** SIGKILLs what commands of this agent started by an earlier, no longer running, agent process left behind. */
    static List<ProcessHandle> killOrphans(ProcessTag tag) {
        return sweep(tag::isOrphanOfEarlierRun);
    }

    private static List<ProcessHandle> sweep(Predicate<String> isTarget) {
        Map<Long, ProcessHandle> killed = new LinkedHashMap<>();
        for (int round = 0; round < SWEEP_ROUNDS; round++) {
            List<ProcessHandle> found = tagged(isTarget).stream().filter(p -> !killed.containsKey(p.pid())).toList();
            if (found.isEmpty()) {
                break;
            }
            found.forEach(ProcessHandle::destroyForcibly);
            found.forEach(p -> killed.put(p.pid(), p));
            awaitExit(found);
        }
        return List.copyOf(killed.values());
    }

    /** SIGKILL takes effect at once, but a process leaves /proc only once reaped; wait a little for that. */
    private static void awaitExit(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
        for (ProcessHandle process : processes) {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            try {
                process.onExit().get(remaining, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException notYet) {
                // A zombie whose parent has not reaped it yet: dead all the same.
            }
        }
    }

    /** Live processes (not this one) whose {@value ProcessTag#VARIABLE} matches; unreadable ones are skipped. */
    private static List<ProcessHandle> tagged(Predicate<String> isTarget) {
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, ProcessTree::isPidDirectory)) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid != self && tagOf(entry).filter(isTarget).isPresent()) {
                    ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(found::add);
                }
            }
        } catch (IOException noProc) {
            // Not Linux, or /proc is not mounted: only the process tree can be killed.
        }
        return found;
    }

    private static boolean isPidDirectory(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    private static Optional<String> tagOf(Path procEntry) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(procEntry.resolve("environ"));
        } catch (IOException | SecurityException unreadable) {
            // Exited meanwhile, or another user's process: not one of ours.
            return Optional.empty();
        }
        String text = new String(environ, StandardCharsets.ISO_8859_1);
        int at = text.startsWith(MARK) ? 0 : text.indexOf("\0" + MARK);
        if (at < 0) {
            return Optional.empty();
        }
        int start = at == 0 && text.startsWith(MARK) ? MARK.length() : at + 1 + MARK.length();
        int end = text.indexOf('\0', start);
        return Optional.of(text.substring(start, end < 0 ? text.length() : end));
    }
}
