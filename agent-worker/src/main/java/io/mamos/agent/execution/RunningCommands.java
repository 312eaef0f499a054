package io.mamos.agent.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The commands this agent runs right now, and how finished ones ended. Liveness snapshots read
 * {@link #count()}; the meters are {@code mamos_agent_running_commands},
 * {@code mamos_agent_commands_total{result}}, {@code mamos_agent_commands_refused_total{reason}} and {@code mamos_agent_command_duration_seconds}.
 */
public final class RunningCommands {

    /** How a command ended; the {@code result} label of {@code mamos_agent_commands_total}. */
    public enum Outcome {
        /** Exit code 0. */
        SUCCEEDED,
        /** A non-zero exit code. */
        FAILED,
        /** Killed by the agent when its timeout passed. */
        TIMED_OUT,
        /** Not run: failed the signature checks or is outside the local allowlist. */
        REFUSED,
        /** Killed because the job was cancelled or the agent shut down. */
        CANCELED,
        /** Could not be run or reported: bad invocation, start failure, lost activity. */
        ERROR;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final AtomicInteger running = new AtomicInteger();
    private final Map<Outcome, Counter> ended = new EnumMap<>(Outcome.class);
    private final Map<CommandVerifier.Reason, Counter> refused = new EnumMap<>(CommandVerifier.Reason.class);
    private final Timer duration;

    /** Counts without exporting anything (metrics disabled, tests). */
    public RunningCommands() {
        this(new CompositeMeterRegistry());
    }

    public RunningCommands(MeterRegistry registry) {
        // Registered up front, so every result series exists at 0 before the first command ends.
        for (Outcome outcome : Outcome.values()) {
            ended.put(outcome, Counter.builder("mamos.agent.commands")
                    .description("Commands this agent was sent, by how they ended")
                    .tag("result", outcome.label())
                    .register(registry));
        }
        for (CommandVerifier.Reason reason : CommandVerifier.Reason.values()) {
            refused.put(reason, Counter.builder("mamos.agent.commands.refused")
                    .description("Commands this agent refused to run, by why: a signature check or its allowlist")
                    .tag("reason", reason.label())
                    .register(registry));
        }
        duration = Timer.builder("mamos.agent.command.duration")
                .description("Wall-clock time of commands this agent started")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(5))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry);
        Gauge.builder("mamos.agent.running.commands", running, AtomicInteger::get)
                .description("Commands running on this agent now")
                .register(registry);
    }

    /** Commands running now. */
    public int count() {
        return running.get();
    }

    /** Counts a command that never started. */
    void notStarted(Outcome outcome) {
        ended.get(outcome).increment();
    }

    /** Counts a command refused before it started. */
    void refused(CommandVerifier.Reason reason) {
        refused.get(reason).increment();
        notStarted(Outcome.REFUSED);
    }

    /** Counts a question about a command ({@code AwaitCommand}) refused before anything was looked up. */
    void questionRefused(CommandVerifier.Reason reason) {
        refused.get(reason).increment();
    }

    /** Marks a command started; pass the returned value to {@link #ended}. */
    long started() {
        running.incrementAndGet();
        return System.nanoTime();
    }

    void ended(long startedNanos, Outcome outcome) {
        running.decrementAndGet();
        duration.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        ended.get(outcome).increment();
    }
}
