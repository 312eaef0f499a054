package io.mamos.orchestrator.job;

import io.mamos.workflows.CommandProgress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mirrors running commands into the store: once a second it reads the command activity of each
 * dispatched or running job from Temporal — whether an agent started it, and the progress it
 * last heartbeated — records RUNNING with its start time and the latest progress (output tail),
 * and announces each change on the live feed. One DescribeWorkflowExecution per active job per pass.
 */
@Component
class JobProgressMirror {

    /** Active jobs looked at per pass; more are picked up in later passes, oldest first. */
    static final int MAX_PER_PASS = 500;

    private static final Logger log = LoggerFactory.getLogger(JobProgressMirror.class);

    private final JobRepository jobs;
    private final RunningCommands runningCommands;
    private final JobEvents events;
    private final JsonMapper json;
    /** Output bytes last mirrored per job, so unchanged progress is neither written nor announced. */
    private final Map<String, Long> lastOutputBytes = new HashMap<>();

    JobProgressMirror(JobRepository jobs, RunningCommands runningCommands, JobEvents events, JsonMapper json) {
        this.jobs = jobs;
        this.runningCommands = runningCommands;
        this.events = events;
        this.json = json;
    }

    @Scheduled(fixedDelayString = "${mamos.jobs.progress-interval:1s}")
    void mirror() {
        try {
            mirrorOnce();
        } catch (RuntimeException e) {
            log.warn("job progress mirroring pass failed: {}", e.toString());
        }
    }

    void mirrorOnce() {
        List<Job> active = jobs.findActive(MAX_PER_PASS);
        lastOutputBytes.keySet().retainAll(active.stream().map(Job::id).toList());
        for (Job job : active) {
            runningCommands.snapshot(job.workflowId()).ifPresent(snapshot -> {
                boolean changed = job.state() == io.mamos.workflows.JobState.DISPATCHED
                        && jobs.markRunning(job.id(), snapshot.startedAt().toEpochMilli()) == 1;
                CommandProgress progress = snapshot.progress();
                if (progress != null && !Long.valueOf(progress.outputBytes()).equals(lastOutputBytes.get(job.id()))) {
                    changed |= jobs.saveProgress(job.id(), json.writeValueAsString(progress)) == 1;
                    lastOutputBytes.put(job.id(), progress.outputBytes());
                }
                if (changed) {
                    events.changed(job.id());
                }
            });
        }
    }
}
