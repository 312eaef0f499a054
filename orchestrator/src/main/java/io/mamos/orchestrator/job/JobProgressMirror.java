package io.mamos.orchestrator.job;

import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.JobState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mirrors running commands into the store: once a second it reads the command activity of each
 * dispatched or running run from Temporal — whether its agent started it, and the progress it
 * last heartbeated — records RUNNING with its start time and the latest progress (output tail),
 * and announces each changed job on the live feed. One DescribeWorkflowExecution per active run
 * per pass, at most {@link #MAX_PER_PASS}: a job's concurrency limit bounds how many are active.
 */
@Component
class JobProgressMirror {

    /** Active runs looked at per pass; more are picked up in later passes, oldest job first. */
    static final int MAX_PER_PASS = 200;

    private static final Logger log = LoggerFactory.getLogger(JobProgressMirror.class);

    private final RunStore runs;
    private final JobRepository jobs;
    private final RunningCommands runningCommands;
    private final JobEvents events;
    private final JsonMapper json;
    /** Output bytes last mirrored per run, so unchanged progress is neither written nor announced. */
    private final Map<String, Long> lastOutputBytes = new HashMap<>();

    JobProgressMirror(RunStore runs, JobRepository jobs, RunningCommands runningCommands, JobEvents events,
            JsonMapper json) {
        this.runs = runs;
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
        List<Run> active = runs.findActive(MAX_PER_PASS);
        lastOutputBytes.keySet().retainAll(active.stream().map(JobProgressMirror::key).toList());
        Set<String> changedJobs = new HashSet<>();
        for (Run run : active) {
            runningCommands.snapshot(run.workflowId(), run.workflowRunId()).ifPresent(snapshot -> {
                boolean changed = false;
                if (run.state() == JobState.DISPATCHED) {
                    long startedAt = snapshot.startedAt().toEpochMilli();
                    changed = runs.markRunning(run.jobId(), run.agentId(), run.attempt(), startedAt) == 1;
                    changed |= jobs.markRunning(run.jobId(), startedAt) == 1;
                }
                CommandProgress progress = snapshot.progress();
                if (progress != null && !Long.valueOf(progress.outputBytes()).equals(lastOutputBytes.get(key(run)))) {
                    changed |= runs.saveProgress(run.jobId(), run.agentId(), json.writeValueAsString(progress)) == 1;
                    lastOutputBytes.put(key(run), progress.outputBytes());
                }
                if (changed) {
                    changedJobs.add(run.jobId());
                }
            });
        }
        changedJobs.forEach(events::changed);
    }

    private static String key(Run run) {
        return run.jobId() + "/" + run.agentId();
    }
}
