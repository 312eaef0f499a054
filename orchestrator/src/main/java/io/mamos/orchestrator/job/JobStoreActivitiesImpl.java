package io.mamos.orchestrator.job;

import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobStoreActivities;
import io.mamos.workflows.RunOutcome;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Mirrors job and run state into the store; runs as local activities in the orchestrator's worker. */
@Component
class JobStoreActivitiesImpl implements JobStoreActivities {

    private static final Logger log = LoggerFactory.getLogger(JobStoreActivitiesImpl.class);

    private final JobRepository jobs;
    private final RunStore runs;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final CommandSigner signer;

    JobStoreActivitiesImpl(JobRepository jobs, RunStore runs, JobEvents events, JobMetrics metrics,
            CommandSigner signer) {
        this.signer = signer;
        this.jobs = jobs;
        this.runs = runs;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void runDispatched(String jobId, String agentId, int attempt, long atMillis) {
        boolean changed = runs.markDispatched(jobId, agentId, attempt, atMillis) == 1;
        changed |= jobs.markDispatched(jobId, atMillis) == 1;
        if (changed) {
            events.changed(jobId);
        }
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        if (runs.markFinished(outcome) == 0) {
            log.debug("job {} run on {}: end {} already recorded", outcome.jobId(), outcome.agentId(), outcome.state());
            return;
        }
        jobs.findById(outcome.jobId()).ifPresent(job -> metrics.runFinished(job, outcome));
        events.changed(outcome.jobId());
    }

    @Override
    public void runsNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis) {
        if (runs.markNotStarted(jobId, agentIds, state, reason, atMillis) > 0) {
            events.changed(jobId);
        }
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        int rows = jobs.markFinished(outcome.jobId(), outcome.state().name(), outcome.error(),
                outcome.finishedAtMillis());
        if (rows == 0) {
            log.debug("job {} end {} already recorded", outcome.jobId(), outcome.state());
            return;
        }
        metrics.jobFinished(outcome.state());
        events.changed(outcome.jobId());
    }

    @Override
    public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
        return signer.sign(unsigned, validForSeconds);
    }
}
