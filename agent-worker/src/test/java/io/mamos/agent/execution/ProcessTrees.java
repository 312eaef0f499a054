package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test helpers to find a command's processes and prove they are gone. */
final class ProcessTrees {

    private ProcessTrees() {
    }

    /** The {@code sleep} processes below {@code root}, however deep. */
    static List<ProcessHandle> sleepsUnder(ProcessHandle root) {
        return root.descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .toList();
    }

    /**
     * Waits until every process has exited. A killed grandchild is re-parented and reaped by
     * init; in a container whose init does not reap, it stays a zombie, which counts as dead.
     */
    static void awaitAllDead(List<ProcessHandle> processes) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline && processes.stream().anyMatch(ProcessTrees::running)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        assertThat(processes).as("processes still running").noneMatch(ProcessTrees::running);
    }

    private static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            // /proc/<pid>/stat: "pid (comm) S ..."; state Z is a zombie, already dead.
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }
}
