package io.mamos.orchestrator.schedule;

import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.mamos.orchestrator.auth.UserAccountRepository;
import io.mamos.orchestrator.job.JobService;
import io.mamos.orchestrator.job.JobSubmission;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobState;
import io.mamos.workflows.ScheduleActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns a firing into a job, with the schedule's definition as it is now. The job runs with the
 * rights of the schedule's creator as they are now: if they were deleted or became a viewer,
 * the firing is refused and recorded as such.
 */
@Component
class ScheduleActivitiesImpl implements ScheduleActivities {

    private static final Logger log = LoggerFactory.getLogger(ScheduleActivitiesImpl.class);

    private final ScheduleRepository schedules;
    private final UserAccountRepository users;
    private final JobService jobs;
    private final JsonMapper json;
    private final PlannedFirings firings;
    private final Callers callers;

    ScheduleActivitiesImpl(ScheduleRepository schedules, UserAccountRepository users, JobService jobs,
            JsonMapper json, PlannedFirings firings, Callers callers) {
        this.firings = firings;
        this.callers = callers;
        this.schedules = schedules;
        this.users = users;
        this.jobs = jobs;
        this.json = json;
    }

    /** {@code workflowId} is the workflow's claim; the caller's own run, as Temporal recorded it, is used. */
    @Override
    public JobRequest createJob(String scheduleId, String claimedWorkflowId, long firedAtMillis) {
        Caller caller = callers.current();
        try {
            firings.check(caller, scheduleId);
        } catch (ForgedCallException refused) {
            throw callers.refuse(caller, refused);
        }
        String workflowId = caller.workflowId();
        Schedule schedule = schedules.findById(scheduleId).orElse(null);
        if (schedule == null) {
            log.warn("schedule {} fired ({}) but no longer exists; nothing runs", scheduleId, workflowId);
            return null;
        }
        JobSubmission submission = json.readValue(schedule.jobJson(), JobSubmission.class);
        String runId = caller.runId();
        String actor = "schedule:" + schedule.name();
        Role role = users.findById(schedule.createdBy()).map(user -> user.role()).orElse(null);
        if (role != Role.ADMIN && role != Role.OPERATOR) {
            String id = JobService.scheduledJobId(workflowId, runId);
            if (jobs.isDuplicateFiring(workflowId, id)) {
                return null;
            }
            jobs.recordRefused(submission, id, workflowId, scheduleId, actor, JobState.REFUSED,
                    "the schedule's creator " + schedule.createdBy() + " no longer exists or may not run jobs");
            return null;
        }
        return jobs.recordScheduledJob(submission, role, workflowId, runId, scheduleId, actor);
    }
}
