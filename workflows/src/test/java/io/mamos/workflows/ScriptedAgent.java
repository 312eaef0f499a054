package io.mamos.workflows;

import io.temporal.failure.ApplicationFailure;
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

    /** What the agent answers when asked for a command's result; by default it knows none, as after a restart. */
    private volatile Script awaitScript = invocation -> {
        throw ApplicationFailure.newNonRetryableFailure("no record of the command", COMMAND_UNKNOWN);
    };
    private final List<String> awaited = new CopyOnWriteArrayList<>();
    private final List<Integer> awaitedAttempts = new CopyOnWriteArrayList<>();
    private final List<AwaitTicket> awaitTickets = new CopyOnWriteArrayList<>();

    void willRun(Script script) {
        this.script = script;
    }

    /** The script gets no invocation (null): the agent answers from what it kept. */
    void willAnswerAwait(Script script) {
        this.awaitScript = script;
    }

    /** Workflow ids the agent was asked for results by. */
    List<String> awaited() {
        return awaited;
    }

    /** The attempt numbers the agent was asked for results of, in order. */
    List<Integer> awaitedAttempts() {
        return awaitedAttempts;
    }

    /** The tickets the agent was asked with, in order (null for a question without one). */
    List<AwaitTicket> awaitTickets() {
        return awaitTickets;
    }

    List<CommandInvocation> invocations() {
        return invocations;
    }

    @Override
    public CommandResult runCommand(CommandInvocation invocation) {
        invocations.add(invocation);
        return play(script, invocation);
    }

    @Override
    public CommandResult awaitCommand(String workflowId, int attempt, AwaitTicket ticket) {
        awaited.add(workflowId);
        awaitedAttempts.add(attempt);
        awaitTickets.add(ticket);
        return play(awaitScript, null);
    }

    private static CommandResult play(Script script, CommandInvocation invocation) {
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
