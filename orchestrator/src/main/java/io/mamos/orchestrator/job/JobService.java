package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.Agent;
import io.mamos.orchestrator.agent.AgentRepository;
import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobState;
import io.mamos.workflows.RunTarget;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JobRepository jobs;
    private final RunStore runs;
    private final AgentRepository agents;
    private final JobPlanner planner;
    private final JdbcAggregateTemplate template;
    private final TransactionTemplate transactions;
    private final WorkflowClient client;
    private final JobEvents events;
    private final MamosProperties properties;
    private final JsonMapper json;
    private final JobMetrics metrics;
    private final AuditLog audit;
    private final PlannedRuns planned;
    private final JobReconciler reconciler;
    private final JobStarter starter;

    JobService(JobRepository jobs, RunStore runs, AgentRepository agents, JobPlanner planner,
            JdbcAggregateTemplate template, TransactionTemplate transactions, WorkflowClient client, JobEvents events,
            MamosProperties properties, JsonMapper json, JobMetrics metrics, AuditLog audit, PlannedRuns planned,
            JobReconciler reconciler, JobStarter starter) {
        this.planned = planned;
        this.reconciler = reconciler;
        this.starter = starter;
        this.jobs = jobs;
        this.runs = runs;
        this.agents = agents;
        this.planner = planner;
        this.template = template;
        this.transactions = transactions;
        this.client = client;
        this.events = events;
        this.properties = properties;
        this.json = json;
        this.metrics = metrics;
        this.audit = audit;
    }

    public JobView submit(JobSubmission submission, String user, Role role) {
        return submit(submission, user, role, null);
    }

    /**
     * Checks the submission, records the job with one QUEUED run per resolved target and starts
     * its workflow. With an {@code idempotencyKey} already used by this user, returns that
     * request's job instead (starting it if its start is still unconfirmed). A start Temporal does
     * not confirm in time answers 503 and leaves the job recorded: its start is retried (here on
     * a retry with the key, else by {@link JobReconciler}) under the same workflow id, so the job
     * runs at most once.
     */
    public JobView submit(JobSubmission submission, String user, Role role, String idempotencyKey) {
        if (idempotencyKey != null) {
            var earlier = jobs.findByIdempotencyKey(user, idempotencyKey);
            if (earlier.isPresent()) {
                return resubmitted(earlier.get());
            }
        }
        JobPlan plan = planner.plan(submission, role);
        String id = UUID.randomUUID().toString();
        JobRequest request = request(plan, id);
        Job job;
        try {
            job = record(plan, id, TaskQueues.jobWorkflowId(id), null, user, idempotencyKey,
                    json.writeValueAsString(request));
        } catch (DataIntegrityViolationException raced) {
            // A concurrent request with the same key recorded its job first.
            return resubmitted(jobs.findByIdempotencyKey(user, idempotencyKey).orElseThrow(() -> raced));
        }
        log.info("job {} submitted by {}: command {} on {} agent(s)", id, user, plan.command().name(),
                plan.targets().size());
        metrics.submitted();
        audit.record(user, "job.submitted", id, plan.command().name() + " on " + describeTargets(plan));
        events.changed(id);
        starter.start(job.workflowId(), request);
        return view(job);
    }

    /** A retried submission: the first request's job, its start retried while unconfirmed. */
    private JobView resubmitted(Job job) {
        log.info("job {}: submission repeated with its Idempotency-Key; answering with the recorded job", job.id());
        starter.startIfUnconfirmed(job);
        return view(find(job.id()));
    }

    /**
     * What {@link #submit} would do, checked by the very same {@link JobPlanner#plan} and refused
     * with the same exceptions, but recorded nowhere: no job, no run, no audit entry, no workflow.
     */
    public JobDryRun dryRun(JobSubmission submission, Role role) {
        JobPlan plan = planner.plan(submission, role);
        return new JobDryRun(plan.command().name(), plan.command().executable(), plan.command().args(),
                plan.timeoutSeconds(), plan.targets().stream().map(agent -> new JobDryRun.Target(agent.id(),
                        agent.hostname(), agent.status(), planner.labels(agent))).toList(),
                plan.concurrency(), plan.maxFailures(), plan.offlineWaitSeconds(), plan.jobTimeoutSeconds(),
                plan.retry().maxAttempts());
    }

    /** Checks a submission without recording anything; targets may match no agent yet. */
    public void validate(JobSubmission submission, Role role) {
        planner.validate(submission, role);
    }

    /**
     * Records the job a schedule's firing runs in the firing's own workflow ({@code workflowId},
     * run {@code runId}), resolving its targets now. Idempotent per run: a retried call replaces
     * the job it recorded before, which cannot have started, since its workflow waits for this
     * call. A second run of the same firing (Temporal may start a schedule's action again once
     * the first run closed) records nothing and returns null: the firing already has its job.
     * When the job cannot run (policy, targets) it is recorded as ended, with the reason, and
     * null is returned.
     */
    public JobRequest recordScheduledJob(JobSubmission submission, Role role, String workflowId, String runId,
            String scheduleId, String actor) {
        String id = scheduledJobId(workflowId, runId);
        if (isDuplicateFiring(workflowId, id)) {
            return null;
        }
        JobPlan plan;
        try {
            plan = planner.plan(submission, role);
        } catch (io.mamos.orchestrator.web.MamosException refused) {
            JobState end = refused instanceof io.mamos.orchestrator.policy.PolicyViolationException
                    ? JobState.REFUSED : JobState.FAILED;
            recordRefused(submission, id, workflowId, scheduleId, actor, end, refused.getMessage());
            return null;
        }
        forget(id);
        record(plan, id, workflowId, scheduleId, actor, null, null);
        // The firing's own run (checked by the caller) runs the job.
        planned.recordStarted(id, runId);
        metrics.submitted();
        audit.record(actor, "job.submitted", id, plan.command().name() + " on " + describeTargets(plan));
        events.changed(id);
        return request(plan, id);
    }

    /** A firing's job id derives from its workflow run, so a retried recording replaces, not duplicates. */
    public static String scheduledJobId(String workflowId, String runId) {
        return UUID.nameUUIDFromBytes((workflowId + "/" + runId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .toString();
    }

    /** Whether another run of this firing's workflow already recorded its job. */
    public boolean isDuplicateFiring(String workflowId, String jobId) {
        return jobs.findByWorkflowId(workflowId).filter(existing -> !existing.id().equals(jobId))
                .map(existing -> {
                    log.warn("schedule firing {} started again; its job {} exists, so this run records nothing",
                            workflowId, existing.id());
                    return true;
                }).orElse(false);
    }

    /** A firing that cannot run is still on record: a job with no runs that ended with the reason. */
    public void recordRefused(JobSubmission submission, String id, String workflowId, String scheduleId,
            String actor, JobState end, String reason) {
        forget(id);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        JobSubmission.Targets targets = submission.agentId() != null
                ? new JobSubmission.Targets(List.of(submission.agentId()), null, null) : submission.targets();
        var job = new Job(id, submission.command(), "", json.writeValueAsString(
                submission.args() == null ? List.of() : submission.args()),
                submission.timeoutSeconds() == null ? 0 : submission.timeoutSeconds(), json.writeValueAsString(targets),
                "{}", 0, end, reason, workflowId, scheduleId, actor, now, null, null, now);
        template.insert(job);
        metrics.jobFinished(end);
        audit.record(actor, "job.refused", id, reason);
        log.warn("scheduled job {} from schedule {} not run: {}", id, scheduleId, reason);
        events.changed(id);
    }

    /** Records the job and its QUEUED runs in one transaction, with the key and start request of a submission. */
    Job record(JobPlan plan, String id, String workflowId, String scheduleId, String user, String idempotencyKey,
            String startRequestJson) {
        boolean single = plan.targets().size() == 1;
        Map<String, Object> options = new LinkedHashMap<>();
        JobSubmission s = plan.submission();
        options.put("concurrency", s.concurrency());
        options.put("maxFailures", s.maxFailures());
        options.put("offlineWaitSeconds", plan.offlineWaitSeconds());
        options.put("jobTimeoutSeconds", s.jobTimeoutSeconds());
        options.put("retry", s.retry());
        JobSubmission.Targets targets = s.agentId() != null
                ? new JobSubmission.Targets(List.of(s.agentId()), null, null) : s.targets();
        var job = new Job(id, plan.command().name(), plan.command().executable(),
                json.writeValueAsString(plan.command().args()), plan.timeoutSeconds(), json.writeValueAsString(targets),
                json.writeValueAsString(options), plan.targets().size(), JobState.QUEUED, null, workflowId,
                scheduleId, user, Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null, null);
        List<String> agentIds = plan.targets().stream().map(Agent::id).toList();
        List<String> runWorkflowIds = agentIds.stream()
                .map(agentId -> single ? workflowId : TaskQueues.runWorkflowId(id, agentId)).toList();
        transactions.executeWithoutResult(status -> {
            template.insert(job);
            planned.recordOutputCap(id, properties.jobs().maxOutputBytes());
            if (idempotencyKey != null || startRequestJson != null) {
                jobs.recordSubmission(id, idempotencyKey, startRequestJson);
            }
            runs.insertQueued(id, agentIds, runWorkflowIds);
        });
        return job;
    }

    JobRequest request(JobPlan plan, String id) {
        List<RunTarget> targets = plan.targets().stream().map(agent -> RunTarget.of(agent.id())).toList();
        return new JobRequest(id, targets, plan.command(), plan.timeoutSeconds(), plan.offlineWaitSeconds(),
                properties.jobs().heartbeatTimeout().toSeconds(), properties.jobs().maxOutputBytes(),
                plan.concurrency(), plan.maxFailures(), plan.jobTimeoutSeconds(), plan.retry());
    }

    /** Reads the store only; {@link JobProgressMirror} keeps running runs' state and progress current. */
    public JobView get(String id) {
        return view(find(id));
    }

    /** A page of jobs, newest first: the page, its count and its runs' digest, whatever its size. */
    public Page<JobView> list(int page, int size) {
        Page<Job> found = jobs.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")));
        RunStore.Digest digest = runs.digest(found.getContent());
        return found.map(job -> view(job, digest));
    }

    public List<JobView> listForSchedule(String scheduleId, int limit) {
        List<Job> found = jobs.findRecentForSchedule(scheduleId, limit);
        RunStore.Digest digest = runs.digest(found);
        return found.stream().map(job -> view(job, digest)).toList();
    }

    /** The job's runs in target order, optionally only those in one state. */
    public RunPage runs(String jobId, JobState state, int page, int size) {
        find(jobId);
        List<Run> found = runs.page(jobId, state, page, size);
        Map<String, String> hostnames = new HashMap<>();
        agents.findAllById(found.stream().map(Run::agentId).toList())
                .forEach(agent -> hostnames.put(agent.id(), agent.hostname()));
        return new RunPage(found.stream().map(run -> runView(run, hostnames.get(run.agentId()))).toList(), page, size,
                runs.count(jobId, state));
    }

    /** Cancels the job's workflow: every running command is killed and runs not started never start. */
    public JobView cancel(String id, String user) {
        Job job = find(id);
        if (job.state().isTerminal()) {
            throw new ConflictException("job-finished", "Job already finished",
                    "job " + id + " already ended " + job.state());
        }
        // A workflow closed without recording the end (terminated, timed out) takes no cancel: record its end.
        if (reconciler.reconcile(job)) {
            throw new ConflictException("job-workflow-closed", "Job's workflow already ended",
                    "job " + id + " cannot be cancelled: its workflow " + job.workflowId() + " is closed in Temporal;"
                            + " its end is now recorded as " + find(id).state());
        }
        client.newUntypedWorkflowStub(job.workflowId()).cancel();
        log.info("job {} cancel requested by {}", id, user);
        audit.record(user, "job.cancel-requested", id, null);
        return view(job);
    }

    /** Removes a job and its runs in one transaction (a job whose workflow never started, or a retried recording). */
    private void forget(String id) {
        transactions.executeWithoutResult(status -> {
            runs.deleteForJob(id);
            jobs.deleteById(id);
        });
    }

    private Job find(String id) {
        return jobs.findById(id).orElseThrow(() -> new NotFoundException("job", id));
    }

    private static String describeTargets(JobPlan plan) {
        JobSubmission s = plan.submission();
        String asked = s.agentId() != null ? "agent " + s.agentId()
                : s.targets().selector() != null ? "selector '" + s.targets().selector() + "'"
                : Boolean.TRUE.equals(s.targets().all()) ? "all online agents" : "listed agents";
        return asked + " (" + plan.targets().size() + " agent(s))";
    }

    private JobView view(Job job) {
        return view(job, runs.digest(List.of(job)));
    }

    private JobView view(Job job, RunStore.Digest digest) {
        Run only = digest.onlyRun(job.id()).orElse(null);
        Long duration = job.startedAt() != null && job.finishedAt() != null
                ? job.finishedAt().toEpochMilli() - job.startedAt().toEpochMilli() : null;
        Map<String, Object> options = json.readValue(job.optionsJson(), new TypeReference<Map<String, Object>>() {
        });
        JobSubmission.Retry retry = options.get("retry") == null ? null
                : json.convertValue(options.get("retry"), JobSubmission.Retry.class);
        return new JobView(job.id(), job.commandName(), json.readValue(job.argsJson(), STRING_LIST),
                job.timeoutSeconds(), job.state(), json.readValue(job.targetsJson(), JobSubmission.Targets.class),
                options.get("concurrency"), options.get("maxFailures"), asLong(options.get("offlineWaitSeconds")),
                asLong(options.get("jobTimeoutSeconds")), retry, job.runCount(), digest.summary(job.id()),
                only != null && job.error() == null ? only.error() : job.error(), job.createdBy(), job.createdAt(),
                job.dispatchedAt(), job.startedAt(), job.finishedAt(), duration, job.workflowId(),
                temporalUrl(job.workflowId()), job.scheduleId(),
                only == null ? null : only.agentId(),
                only == null ? null : only.exitCode(),
                only == null ? null : only.stdout(),
                only == null ? null : only.stderr(),
                only != null && only.outputTruncated(),
                only == null ? null : progress(only));
    }

    private RunView runView(Run run, String hostname) {
        Long duration = run.startedAt() != null && run.finishedAt() != null
                ? run.finishedAt().toEpochMilli() - run.startedAt().toEpochMilli() : null;
        return new RunView(run.jobId(), run.agentId(), hostname, run.state(), run.attempt(), run.exitCode(),
                run.stdout(), run.stderr(), run.outputTruncated(), run.error(), run.dispatchedAt(), run.startedAt(),
                run.finishedAt(), duration, progress(run), run.workflowId(), temporalUrl(run.workflowId()));
    }

    private JobView.Progress progress(Run run) {
        if (run.progressJson() == null || run.state().isTerminal()) {
            return null;
        }
        CommandProgress progress = json.readValue(run.progressJson(), CommandProgress.class);
        return new JobView.Progress(progress.elapsedMillis(), progress.outputBytes(), progress.tail());
    }

    private String temporalUrl(String workflowId) {
        var temporal = properties.temporal();
        return temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows/" + workflowId;
    }

    private static Long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : null;
    }

    public record RunPage(List<RunView> items, int page, int size, long total) {
    }
}
