package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.AgentRepository;
import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.agent.AgentStatus;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.policy.CommandPolicy;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.CommandProgress;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.JobRequest;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobWorkflow;
import io.mamos.workflows.TaskQueues;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

@Service
public class JobService {

    private static final Logger log = LoggerFactory.getLogger(JobService.class);
    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private final JobRepository jobs;
    private final AgentRepository agents;
    private final CommandPolicy policy;
    private final JdbcAggregateTemplate template;
    private final WorkflowClient client;
    private final JobEvents events;
    private final MamosProperties properties;
    private final JsonMapper json;
    private final JobMetrics metrics;
    private final AuditLog audit;

    JobService(JobRepository jobs, AgentRepository agents, CommandPolicy policy, JdbcAggregateTemplate template,
            WorkflowClient client, JobEvents events, MamosProperties properties,
            JsonMapper json, JobMetrics metrics, AuditLog audit) {
        this.audit = audit;
        this.metrics = metrics;
        this.jobs = jobs;
        this.agents = agents;
        this.policy = policy;
        this.template = template;
        this.client = client;
        this.events = events;
        this.properties = properties;
        this.json = json;
    }

    /**
     * Checks the request against the policy, records the job and starts its workflow. If the
     * workflow cannot be started the job row is removed again: no job exists without a workflow.
     */
    public JobView submit(String agentId, String command, List<String> args, Long timeoutSeconds, String user,
            Role role) {
        CommandSpec spec = policy.resolve(command, args, role);
        long timeout = policy.timeoutSeconds(spec.name(), timeoutSeconds,
                properties.jobs().defaultTimeout().toSeconds());
        var agent = agents.findById(agentId).orElseThrow(() -> new NotFoundException("agent", agentId));
        if (agent.status() == AgentStatus.DECOMMISSIONED) {
            throw new ConflictException("agent-decommissioned", "Agent decommissioned",
                    "agent " + agentId + " is decommissioned and takes no jobs");
        }

        String id = UUID.randomUUID().toString();
        var job = new Job(id, agentId, spec.name(), spec.executable(), json.writeValueAsString(spec.args()), timeout,
                JobState.QUEUED, null, null, null, false, null, TaskQueues.jobWorkflowId(id), user,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), null, null, null, null);
        template.insert(job);

        var request = new JobRequest(id, agentId, spec, timeout, properties.jobs().agentWait().toSeconds(),
                properties.jobs().heartbeatTimeout().toSeconds(), properties.jobs().maxOutputBytes());
        JobWorkflow workflow = client.newWorkflowStub(JobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(job.workflowId())
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                // A job runs once: its id can never start a second run, even after the first ended.
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                // Bounds the whole job even if every inner timeout were misconfigured.
                .setWorkflowExecutionTimeout(Duration.ofSeconds(timeout).plus(properties.jobs().agentWait())
                        .plus(Duration.ofHours(1)))
                .build());
        try {
            WorkflowClient.start(workflow::run, request);
        } catch (RuntimeException e) {
            jobs.deleteById(id);
            log.warn("job {} not started: Temporal refused the workflow: {}", id, e.toString());
            throw new TemporalUnavailableException("the job could not be started; Temporal did not accept it: "
                    + e.getMessage());
        }
        log.info("job {} submitted by {}: command {} on agent {}", id, user, spec.name(), agentId);
        metrics.submitted();
        audit.record(user, "job.submitted", id, spec.name() + " on agent " + agentId);
        events.changed(id);
        return view(job);
    }

    /** Reads the store only; {@link JobProgressMirror} keeps running jobs' state and progress current. */
    public JobView get(String id) {
        return view(jobs.findById(id).orElseThrow(() -> new NotFoundException("job", id)));
    }

    public Page<JobView> list(int page, int size) {
        return jobs.findAll(PageRequest.of(page, size, Sort.by(Sort.Direction.DESC, "createdAt")))
                .map(this::view);
    }

    /** Cancels the job's workflow; the agent kills the process tree and the job ends CANCELED. */
    public JobView cancel(String id, String user) {
        Job job = jobs.findById(id).orElseThrow(() -> new NotFoundException("job", id));
        if (job.state().isTerminal()) {
            throw new ConflictException("job-finished", "Job already finished",
                    "job " + id + " already ended " + job.state());
        }
        client.newUntypedWorkflowStub(job.workflowId()).cancel();
        log.info("job {} cancel requested by {}", id, user);
        audit.record(user, "job.cancel-requested", id, null);
        return view(job);
    }

    private JobView view(Job job) {
        CommandProgress progress = job.progressJson() == null || job.state().isTerminal() ? null
                : json.readValue(job.progressJson(), CommandProgress.class);
        Long duration = job.startedAt() != null && job.finishedAt() != null
                ? job.finishedAt().toEpochMilli() - job.startedAt().toEpochMilli() : null;
        var temporal = properties.temporal();
        return new JobView(job.id(), job.agentId(), job.commandName(), json.readValue(job.argsJson(), STRING_LIST),
                job.timeoutSeconds(), job.state(), job.exitCode(), job.stdout(), job.stderr(), job.outputTruncated(),
                job.error(), job.createdBy(), job.createdAt(), job.dispatchedAt(), job.startedAt(), job.finishedAt(),
                duration,
                progress == null ? null
                        : new JobView.Progress(progress.elapsedMillis(), progress.outputBytes(), progress.tail()),
                job.workflowId(),
                temporal.uiUrl() + "/namespaces/" + temporal.namespace() + "/workflows/" + job.workflowId());
    }
}
