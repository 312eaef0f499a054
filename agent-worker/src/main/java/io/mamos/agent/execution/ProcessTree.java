package io.mamos.agent.execution;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Kills a command together with everything it started, so nothing outlives its job. */
final class ProcessTree {

    private static final long REAP_WAIT_SECONDS = 5;

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
}
