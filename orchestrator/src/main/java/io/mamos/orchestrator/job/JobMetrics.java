package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import io.mamos.workflows.RunOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Job metrics for Prometheus: {@code mamos_jobs_submitted_total}, {@code mamos_jobs_finished_total{state}},
 * {@code mamos_jobs_running}, {@code mamos_runs_running}, and the {@code mamos_job_duration_seconds} and
 * {@code mamos_job_dispatch_latency_seconds} histograms. Start times come from the agent's clock,
 * so the two durations assume clocks in sync (NTP) between agent and orchestrator.
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Timer duration;
    private final Timer dispatchLatency;

    JobMetrics(MeterRegistry registry, JobRepository jobs, RunStore runs) {
        this.registry = registry;
        this.submitted = Counter.builder("mamos.jobs.submitted").description("Jobs accepted").register(registry);
        this.duration = Timer.builder("mamos.job.duration")
                .description("From a command's start on its agent to its end, per run")
                .publishPercentileHistogram()
                .register(registry);
        this.dispatchLatency = Timer.builder("mamos.job.dispatch.latency")
                .description("From the job's submission to a command's start on its agent, per run")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("mamos.jobs.running", jobs, JobRepository::countRunning)
                .description("Jobs dispatched or running")
                .register(registry);
        Gauge.builder("mamos.runs.running", runs, RunStore::countActive)
                .description("Runs (one job on one agent) dispatched or running")
                .register(registry);
        for (JobState state : JobState.values()) {
            if (state.isTerminal()) {
                finishedCounter(state);
            }
        }
    }

    void submitted() {
        submitted.increment();
    }

    void jobFinished(JobState state) {
        finishedCounter(state).increment();
    }

    /** Durations are per run: each agent's command is timed on its own. */
    void runFinished(Job job, RunOutcome run) {
        if (run.startedAtMillis() != null) {
            duration.record(nonNegative(Duration.ofMillis(run.finishedAtMillis() - run.startedAtMillis())));
            dispatchLatency.record(nonNegative(Duration.ofMillis(run.startedAtMillis() - job.createdAt().toEpochMilli())));
        }
    }

    private Counter finishedCounter(JobState state) {
        return Counter.builder("mamos.jobs.finished").description("Jobs that reached a final state")
                .tag("state", state.name()).register(registry);
    }

    private static Duration nonNegative(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}
