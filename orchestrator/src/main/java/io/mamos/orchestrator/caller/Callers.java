package io.mamos.orchestrator.caller;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.config.MamosProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Who is calling an orchestrator-side activity, and the refusal of a call the store did not plan.
 * Anyone who reaches Temporal can start a workflow on the orchestrator's queue, so the
 * orchestrator's activities identify their caller by the run Temporal recorded in the activity's
 * info, ask the Temporal server (not the workflow) about that run where it matters, and act only
 * for the run the store assigned.
 */
@Component
public class Callers {

    /** Error type of the non-retryable failure of a refused call. */
    public static final String FORGED_CALL = "ForgedActivityCall";

    private static final Logger log = LoggerFactory.getLogger(Callers.class);
    private static final int CACHED_RUNS = 10_000;

    private final WorkflowClient client;
    private final MamosProperties properties;
    private final AuditLog audit;
    private final MeterRegistry registry;
    /** A run's facts never change but for {@code running}; callers that need that ask afresh. */
    private final Map<String, CallerExecution> described = Collections.synchronizedMap(
            new LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CallerExecution> eldest) {
                    return size() > CACHED_RUNS;
                }
            });

    public Callers(WorkflowClient client, MamosProperties properties, AuditLog audit, MeterRegistry registry) {
        this.client = client;
        this.properties = properties;
        this.audit = audit;
        this.registry = registry;
    }

    /** The run calling the current activity, from the activity's own info. */
    public Caller current() {
        ActivityInfo info = Activity.getExecutionContext().getInfo();
        return new Caller(info.getActivityType(), info.getWorkflowId(), info.getRunId());
    }

    /** What the Temporal server says about the caller's run (cached per run). */
    public CallerExecution describe(Caller caller) {
        CallerExecution cached = described.get(caller.runId());
        if (cached != null) {
            return cached;
        }
        CallerExecution execution = describe(caller.workflowId(), caller.runId());
        described.put(caller.runId(), execution);
        return execution;
    }

    /** The server's facts about a workflow's run; its current run when {@code runId} is null. */
    public CallerExecution describe(String workflowId, String runId) {
        WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
        if (runId != null) {
            execution.setRunId(runId);
        }
        WorkflowExecutionInfo info = client.getWorkflowServiceStubs().blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(properties.temporal().namespace())
                        .setExecution(execution)
                        .build())
                .getWorkflowExecutionInfo();
        String first = info.getFirstRunId().isEmpty() ? info.getExecution().getRunId() : info.getFirstRunId();
        String parentId = info.hasParentExecution() ? info.getParentExecution().getWorkflowId() : null;
        String parentRun = info.hasParentExecution() ? info.getParentExecution().getRunId() : null;
        return new CallerExecution(first, parentId, parentRun,
                info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    }

    /**
     * Refuses a call: logs, audits and counts it ({@code mamos_forged_activity_calls_total{activity}})
     * and returns the non-retryable failure the activity throws. The refused call changed nothing.
     */
    public ApplicationFailure refuse(Caller caller, ForgedCallException refused) {
        String detail = refused.getMessage() + " (workflow " + caller.workflowId() + ", run " + caller.runId() + ")";
        log.warn("refused {} from workflow {} run {} for {}: {}", caller.activity(), caller.workflowId(),
                caller.runId(), refused.target(), refused.getMessage());
        audit.record("temporal:" + caller.workflowId(), "activity.refused." + caller.activity(), refused.target(),
                detail);
        Counter.builder("mamos.forged.activity.calls")
                .description("Orchestrator-side activity calls refused: not for a run the store planned")
                .tag("activity", caller.activity())
                .register(registry)
                .increment();
        return ApplicationFailure.newNonRetryableFailure(caller.activity() + " refused: " + detail, FORGED_CALL);
    }
}
