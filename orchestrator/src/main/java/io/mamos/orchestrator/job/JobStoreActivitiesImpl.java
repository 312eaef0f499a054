package io.mamos.orchestrator.job;

import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobStoreActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/** Mirrors job workflow state into the store; runs as local activities in the orchestrator's worker. */
@Component
class JobStoreActivitiesImpl implements JobStoreActivities {

    private static final Logger log = LoggerFactory.getLogger(JobStoreActivitiesImpl.class);

    private final JobRepository jobs;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final CommandSigner signer;

    JobStoreActivitiesImpl(JobRepository jobs, JobEvents events, JobMetrics metrics, CommandSigner signer) {
        this.signer = signer;
        this.jobs = jobs;
        this.events = events;
        this.metrics = metrics;
    }

    @Override
    public void jobDispatched(String jobId, long atMillis) {
        jobs.markDispatched(jobId, atMillis);
        events.changed(jobId);
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        int rows = jobs.markFinished(outcome.jobId(), outcome.state().name(), outcome.exitCode(), outcome.stdout(),
                outcome.stderr(), outcome.outputTruncated(), outcome.error(), outcome.startedAtMillis(),
                outcome.finishedAtMillis());
        if (rows == 0) {
            log.debug("job {} end {} already recorded", outcome.jobId(), outcome.state());
            return;
        }
        jobs.findById(outcome.jobId()).ifPresent(metrics::finished);
        events.changed(outcome.jobId());
    }

    @Override
    public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
        return signer.sign(unsigned, validForSeconds);
    }
}
