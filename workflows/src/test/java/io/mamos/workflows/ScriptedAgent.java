package io.mamos.workflows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for an agent's {@link CommandActivities}: each test scripts what the agent does with
 * a command, and the invocations it received are kept for assertions.
 */
final class ScriptedAgent implements CommandActivities {

    /** What the agent does with one command; may heartbeat, block or throw like a real agent. */
    @FunctionalInterface
    interface Script {
        CommandResult run(CommandInvocation invocation) throws Exception;
    }

    private final List<CommandInvocation> invocations = new CopyOnWriteArrayList<>();
    private volatile Script script = invocation -> {
        throw new AssertionError("this agent was not expected to receive " + invocation);
    };

    void willRun(Script script) {
        this.script = script;
    }

    List<CommandInvocation> invocations() {
        return invocations;
    }

    @Override
    public CommandResult runCommand(CommandInvocation invocation) {
        invocations.add(invocation);
        try {
            return script.run(invocation);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A result as an agent reports it for a process that ended by itself. */
    static CommandResult exited(int exitCode, String stdout, String stderr) {
        return new CommandResult(exitCode, stdout, stderr, false, false, 1_000L, 2_000L);
    }
}
