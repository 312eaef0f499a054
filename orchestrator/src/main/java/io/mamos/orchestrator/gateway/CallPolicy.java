package io.mamos.orchestrator.gateway;

import io.mamos.workflows.TaskQueues;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.PollActivityTaskQueueRequest;
import java.util.Optional;
import java.util.Set;

/**
 * What an agent may ask of Temporal through the gateway: what an activity worker on its own two
 * task queues (commands, liveness) needs, nothing else. Every other method of Temporal's WorkflowService is refused
 * ({@code PERMISSION_DENIED}) before it reaches Temporal. Task tokens are checked by {@link TaskTokens}.
 */
final class CallPolicy {

    /** Methods forwarded to Temporal once their request passes the checks below. */
    static final Set<String> FORWARDED = Set.of(
            "GetSystemInfo",
            "DescribeNamespace",
            "PollActivityTaskQueue",
            "RecordActivityTaskHeartbeat",
            "RespondActivityTaskCompleted",
            "RespondActivityTaskFailed",
            "RespondActivityTaskCanceled");

    /**
     * Methods the SDK's worker calls as it starts and stops that the gateway answers itself with an
     * empty response: they act on workers and sticky queues Temporal-wide, and an agent's activity
     * worker loses nothing by their not reaching Temporal.
     */
    static final Set<String> ANSWERED = Set.of("ShutdownWorker", "RecordWorkerHeartbeat");

    private final String namespace;

    CallPolicy(String namespace) {
        this.namespace = namespace;
    }

    static boolean admits(String method) {
        return FORWARDED.contains(method) || ANSWERED.contains(method);
    }

    /** Why {@code agentId} may not make this poll; empty when it may. */
    Optional<String> refusal(String agentId, PollActivityTaskQueueRequest poll) {
        Optional<String> wrongNamespace = namespaceRefusal(poll.getNamespace());
        if (wrongNamespace.isPresent()) {
            return wrongNamespace;
        }
        String own = TaskQueues.forAgent(agentId);
        String liveness = TaskQueues.livenessForAgent(agentId);
        String polled = poll.getTaskQueue().getName();
        if (!own.equals(polled) && !liveness.equals(polled)) {
            return Optional.of("polls task queue '" + polled + "', not its own " + own + " or " + liveness);
        }
        if (poll.getTaskQueue().getKind() == TaskQueueKind.TASK_QUEUE_KIND_STICKY) {
            return Optional.of("polls a sticky task queue");
        }
        return Optional.empty();
    }

    /** Why this DescribeNamespace is refused; empty when it asks for the gateway's own namespace by name. */
    Optional<String> refusal(DescribeNamespaceRequest describe) {
        if (!describe.getId().isEmpty()) {
            return Optional.of("describes a namespace by id");
        }
        return namespaceRefusal(describe.getNamespace());
    }

    /** Why a call naming {@code requested} is refused; empty when it is the gateway's namespace. */
    Optional<String> namespaceRefusal(String requested) {
        return namespace.equals(requested) ? Optional.empty()
                : Optional.of("names namespace '" + requested + "', not " + namespace);
    }
}
