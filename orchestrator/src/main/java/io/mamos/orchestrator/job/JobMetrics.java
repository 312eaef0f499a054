package io.mamos.orchestrator.job;

import io.mamos.workflows.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Job metrics for Prometheus: {@code mamos_jobs_submitted_total}, {@code mamos_jobs_finished_total{state}},
 * {@code mamos_jobs_running}, and the {@code mamos_job_duration_seconds} and
 * {@code mamos_job_dispatch_latency_seconds} histograms. Start times come from the agent's clock,
 * so the two durations assume clocks in sync (NTP) between agent and orchestrator.
 */
@Component
class JobMetrics {

    private final MeterRegistry registry;
    private final Counter submitted;
    private final Timer duration;
    private final Timer dispatchLatency;

    JobMetrics(MeterRegistry registry, JobRepository jobs) {
        this.registry = registry;
        this.submitted = Counter.builder("mamos.jobs.submitted").description("Jobs accepted").register(registry);
        this.duration = Timer.builder("mamos.job.duration")
                .description("From the command's start on its agent to its end")
                .publishPercentileHistogram()
                .register(registry);
        this.dispatchLatency = Timer.builder("mamos.job.dispatch.latency")
                .description("From submission to the command's start on its agent")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("mamos.jobs.running", jobs, JobRepository::countRunning)
                .description("Jobs dispatched or running")
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

    void finished(Job job) {
        finishedCounter(job.state()).increment();
        if (job.startedAt() != null && job.finishedAt() != null) {
            duration.record(nonNegative(Duration.between(job.startedAt(), job.finishedAt())));
            dispatchLatency.record(nonNegative(Duration.between(job.createdAt(), job.startedAt())));
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
