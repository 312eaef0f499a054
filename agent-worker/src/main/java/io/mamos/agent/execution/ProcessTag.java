package io.mamos.agent.execution;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mark every command's processes carry in their environment ({@value #VARIABLE}), inherited by
 * everything they start, even what daemonizes and leaves the command's process tree. It names the
 * agent, the agent process that started the command (pid and start time, so a reused pid is not
 * mistaken for it) and the command, so that what a command left behind can be found and ended when
 * it ends, and what a killed agent left behind can be found when it starts again.
 *
 * @param agentId     the enrolled agent's id
 * @param incarnation {@code <pid>-<start epoch millis>} of the agent process
 */
public record ProcessTag(String agentId, String incarnation) {

    /** The environment variable that carries the tag. */
    public static final String VARIABLE = "MAMOS_COMMAND";

    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** The tag of commands started by this process, for {@code agentId}. */
    public static ProcessTag forAgent(String agentId) {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessTag(agentId, incarnationOf(self).orElse(self.pid() + "-0"));
    }

    /** A fresh value for one command: {@code <agent id>/<incarnation>/<sequence>}. */
    String nextValue() {
        return agentId + "/" + incarnation + "/" + SEQUENCE.incrementAndGet();
    }

    /** Whether {@code value} marks a command of this agent started by another, no longer running, agent process. */
    boolean isOrphanOfEarlierRun(String value) {
        String prefix = agentId + "/";
        if (!value.startsWith(prefix)) {
            return false;
        }
        String rest = value.substring(prefix.length());
        int slash = rest.indexOf('/');
        String owner = slash < 0 ? rest : rest.substring(0, slash);
        return !owner.equals(incarnation) && !isRunning(owner);
    }

    private static boolean isRunning(String incarnation) {
        int dash = incarnation.indexOf('-');
        if (dash <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(incarnation.substring(0, dash));
            return ProcessHandle.of(pid).flatMap(ProcessTag::incarnationOf).map(incarnation::equals).orElse(false);
        } catch (NumberFormatException malformed) {
            return false;
        }
    }

    private static Optional<String> incarnationOf(ProcessHandle process) {
        return process.info().startInstant().map(start -> process.pid() + "-" + start.toEpochMilli());
    }
}
