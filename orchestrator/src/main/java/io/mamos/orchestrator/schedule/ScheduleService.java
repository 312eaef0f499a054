package io.mamos.orchestrator.schedule;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.job.JobService;
import io.mamos.orchestrator.job.JobSubmission;
import io.mamos.orchestrator.job.JobView;
import io.mamos.orchestrator.policy.CommandPolicy;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.InvalidRequestException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.ScheduledJobWorkflow;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.schedules.Schedule.Builder;
import io.temporal.client.schedules.ScheduleActionStartWorkflow;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleDescription;
import io.temporal.client.schedules.ScheduleHandle;
import io.temporal.client.schedules.ScheduleOptions;
import io.temporal.client.schedules.SchedulePolicy;
import io.temporal.client.schedules.ScheduleSpec;
import io.temporal.client.schedules.ScheduleState;
import io.temporal.api.enums.v1.ScheduleOverlapPolicy;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Recurring jobs through Temporal Schedules. The definition (cron, job) lives in the store; the
 * Temporal schedule {@code schedule-<id>} fires a {@link ScheduledJobWorkflow} that records and
 * runs a normal job. A firing is skipped while the previous one still runs.
 */
@Service
public class ScheduleService {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}");
    private static final int RECENT_JOBS = 5;
    private static final int NEXT_RUNS = 5;
    private static final Logger log = LoggerFactory.getLogger(ScheduleService.class);

    private final ScheduleRepository schedules;
    private final ScheduleClient client;
    private final WorkflowClient workflows;
    private final JobService jobs;
    private final JdbcAggregateTemplate template;
    private final JsonMapper json;
    private final AuditLog audit;
    private final ApplicationEventPublisher events;
    private final CommandPolicy policy;

    ScheduleService(ScheduleRepository schedules, ScheduleClient client, WorkflowClient workflows, JobService jobs,
            JdbcAggregateTemplate template, JsonMapper json, AuditLog audit, ApplicationEventPublisher events,
            CommandPolicy policy) {
        this.policy = policy;
        this.schedules = schedules;
        this.client = client;
        this.workflows = workflows;
        this.jobs = jobs;
        this.template = template;
        this.json = json;
        this.audit = audit;
        this.events = events;
    }

    public ScheduleView create(String name, String cron, JobSubmission job, String user, Role role) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name must be 1-100 letters, digits, spaces or _ . -, starting with a"
                    + " letter or digit");
        }
        checkCron(cron);
        if (schedules.existsByName(name)) {
            throw new ConflictException("schedule-exists", "Schedule exists", "a schedule named '" + name
                    + "' already exists");
        }
        jobs.validate(job, role);
        String id = UUID.randomUUID().toString();
        var schedule = new Schedule(id, name, cron.strip(), json.writeValueAsString(job), user,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        template.insert(schedule);
        try {
            client.createSchedule(temporalId(id), temporalSchedule(schedule),
                    ScheduleOptions.newBuilder().setMemo(java.util.Map.of("name", name)).build());
        } catch (RuntimeException e) {
            schedules.deleteById(id);
            throw refusal(e);
        }
        log.info("schedule {} '{}' ({}) created by {}", id, name, cron, user);
        audit.record(user, "schedule.created", id, name + ": " + cron + ", " + job.command());
        events.publishEvent(new ScheduleChanged(id));
        return get(id);
    }

    public List<ScheduleView> list() {
        return schedules.findAllByOrderByCreatedAtDesc().stream().map(this::view).toList();
    }

    public ScheduleView get(String id) {
        return view(find(id));
    }

    public ScheduleView pause(String id, String note, String user, Role role) {
        mayRun(find(id), role);
        handle(id).pause(note == null || note.isBlank() ? "paused by " + user : note);
        return changed(id, user, "schedule.paused");
    }

    public ScheduleView resume(String id, String user, Role role) {
        mayRun(find(id), role);
        handle(id).unpause("resumed by " + user);
        return changed(id, user, "schedule.resumed");
    }

    /**
     * Fires the schedule now, whatever its cron says and even while it is paused: starts the
     * workflow a firing starts, under an id of its own. (Temporal's own trigger names its run after
     * the current second, the same id as a cron firing in that second; the trigger's job would then
     * be taken for a second run of that firing.)
     */
    public ScheduleView trigger(String id, String user, Role role) {
        mayRun(find(id), role);
        ScheduledJobWorkflow firing = workflows.newWorkflowStub(ScheduledJobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId("scheduled-" + id + "-now-" + UUID.randomUUID())
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
        WorkflowClient.start(firing::fire, id);
        return changed(id, user, "schedule.triggered");
    }

    /** Stops future firings; jobs it already fired stay on record. */
    public void delete(String id, String user, Role role) {
        Schedule schedule = find(id);
        mayRun(schedule, role);
        try {
            handle(id).delete();
        } catch (io.temporal.client.schedules.ScheduleException gone) {
            log.warn("schedule {} was already gone from Temporal: {}", id, gone.toString());
        }
        schedules.deleteById(id);
        audit.record(user, "schedule.deleted", id, schedule.name());
        events.publishEvent(new ScheduleChanged(id));
    }

    /** The checks of our own before Temporal reads the cron (see {@link #spec}). */
    static void checkCron(String cron) {
        if (cron == null || cron.isBlank() || cron.length() > 200) {
            throw new InvalidRequestException("cron is required (5 fields: minute hour day-of-month month"
                    + " day-of-week, e.g. '*/5 * * * *')");
        }
    }

    /** What a schedule's cron becomes in Temporal: the one place that turns it into a spec. */
    static ScheduleSpec spec(String cron) {
        return ScheduleSpec.newBuilder().setCronExpressions(List.of(cron.strip())).build();
    }

    /** Temporal's INVALID_ARGUMENT (an unreadable cron, say) is the caller's error: a 400 that quotes it. */
    static RuntimeException refusal(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StatusRuntimeException status
                    && status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                return new InvalidRequestException("Temporal refused the schedule's cron or spec: "
                        + status.getStatus().getDescription());
            }
        }
        return e;
    }

    private ScheduleView changed(String id, String user, String action) {
        audit.record(user, action, id, null);
        events.publishEvent(new ScheduleChanged(id));
        return get(id);
    }

    /**
     * Acting on a schedule (fire, pause, resume, delete) needs the right to run its command: a
     * firing runs with its creator's role, so without this check anyone who may write schedules
     * could fire or silence an admin-only command's.
     */
    private void mayRun(Schedule schedule, Role role) {
        policy.requireMayRun(json.readValue(schedule.jobJson(), JobSubmission.class).command(), role);
    }

    private Schedule find(String id) {
        return schedules.findById(id).orElseThrow(() -> new NotFoundException("schedule", id));
    }

    private ScheduleHandle handle(String id) {
        return client.getHandle(temporalId(id));
    }

    static String temporalId(String id) {
        return "schedule-" + id;
    }

    private io.temporal.client.schedules.Schedule temporalSchedule(Schedule schedule) {
        Builder builder = io.temporal.client.schedules.Schedule.newBuilder()
                .setAction(ScheduleActionStartWorkflow.newBuilder()
                        .setWorkflowType(ScheduledJobWorkflow.class)
                        .setArguments(schedule.id())
                        .setOptions(WorkflowOptions.newBuilder()
                                // Temporal appends the firing time, so each firing has its own id.
                                .setWorkflowId("scheduled-" + schedule.id())
                                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                                .build())
                        .build())
                .setSpec(spec(schedule.cron()))
                .setPolicy(SchedulePolicy.newBuilder()
                        .setOverlap(ScheduleOverlapPolicy.SCHEDULE_OVERLAP_POLICY_SKIP)
                        .setCatchupWindow(Duration.ofMinutes(1))
                        .build())
                .setState(ScheduleState.newBuilder().setPaused(false).build());
        return builder.build();
    }

    private ScheduleView view(Schedule schedule) {
        boolean paused = false;
        String note = null;
        List<Instant> next = List.of();
        try {
            ScheduleDescription description = handle(schedule.id()).describe();
            paused = description.getSchedule().getState().isPaused();
            note = description.getSchedule().getState().getNote();
            next = description.getInfo().getNextActionTimes().stream().limit(NEXT_RUNS).toList();
        } catch (RuntimeException e) {
            log.debug("cannot describe schedule {}: {}", schedule.id(), e.toString());
        }
        List<String> recent = jobs.listForSchedule(schedule.id(), RECENT_JOBS).stream().map(JobView::id).toList();
        return new ScheduleView(schedule.id(), schedule.name(), schedule.cron(), paused, note,
                json.readValue(schedule.jobJson(), JobSubmission.class), next, recent, schedule.createdBy(),
                schedule.createdAt(), temporalId(schedule.id()));
    }
}
