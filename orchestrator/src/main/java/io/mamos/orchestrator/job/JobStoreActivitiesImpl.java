package io.mamos.orchestrator.job;

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

    JobStoreActivitiesImpl(JobRepository jobs, JobEvents events) {
        this.jobs = jobs;
        this.events = events;
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
            log.warn("job {} finished {} but is not in the store", outcome.jobId(), outcome.state());
        }
        events.changed(outcome.jobId());
    }
}
