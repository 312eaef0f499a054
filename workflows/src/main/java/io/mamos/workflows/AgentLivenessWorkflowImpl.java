package io.mamos.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import io.temporal.api.enums.v1.TimeoutType;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Loop: check in (waits, without a timeout, for the agent to poll), record ONLINE, run a
 * heartbeating session; when heartbeats stop, record OFFLINE and check in again. Each session is
 * a few history events; the run continues as new after a fixed number of sessions.
 *
 * <p>Check-ins and sessions go to the agent's liveness queue ({@link TaskQueues#livenessForAgent})
 * once the agent says it polls one: there a backlog of commands on its command queue (a busy
 * agent) never delays them. An agent that stops polling it (downgraded) is asked on its command
 * queue again after {@link #livenessQueueCheckInWait}.
 */
public class AgentLivenessWorkflowImpl implements AgentLivenessWorkflow {

    /**
     * Agents heartbeat every 1.5 intervals (in tenths of an interval). Each heartbeat is an RPC to
     * the Temporal server (agents let the SDK send every heartbeat at once, so cancels reach
     * commands quickly), so this divides what liveness costs the server per agent.
     */
    static final int HEARTBEAT_EVERY_TENTHS = 15;

    /**
     * Silence, in tenths of an interval, after which the agent counts as gone: 2.5 intervals, so a
     * killed agent is OFFLINE within 3 intervals, and a heartbeat may be a whole interval late
     * (a loaded host or server) before a live agent is taken for dead.
     */
    static final int HEARTBEAT_TIMEOUT_TENTHS = 25;

    /** Version marker: liveness moves to the agent's liveness queue once the agent says it polls one. */
    static final String LIVENESS_QUEUE = "liveness-queue";

    /** Longest a check-in waits on the liveness queue ({@link #livenessQueueCheckInWait}). */
    static final Duration LIVENESS_QUEUE_CHECK_IN_WAIT_MAX = Duration.ofMinutes(10);

    private static final Logger log = Workflow.getLogger(AgentLivenessWorkflowImpl.class);

    /** Retried until the store answers, as the job workflows' writes are ({@link RunExecution#storeOptions}). */
    private final AgentStoreActivities store = Workflow.newLocalActivityStub(AgentStoreActivities.class,
            RunExecution.storeOptions());

    private boolean online;
    /** Whether check-ins and sessions go to the agent's liveness queue (version {@link #LIVENESS_QUEUE}). */
    private boolean onLivenessQueue;
    private boolean livenessQueueVersion;

    @Override
    public void run(LivenessParams params) {
        online = params.online();
        livenessQueueVersion = Workflow.getVersion(LIVENESS_QUEUE, Workflow.DEFAULT_VERSION, 1) == 1;
        onLivenessQueue = livenessQueueVersion && params.livenessQueue();
        for (int i = 0; i < params.sessionsBeforeContinueAsNew(); i++) {
            try {
                SystemSnapshot first = Workflow.newActivityStub(LivenessActivities.class,
                        checkInOptions(params, onLivenessQueue)).checkIn(params.agentId());
                follow(params, first);
                if (!online) {
                    log.info("agent {} is online", params.agentId());
                }
                online = true;
                store.agentOnline(params.agentId(), first, Workflow.currentTimeMillis());
                SystemSnapshot last = Workflow.newActivityStub(LivenessActivities.class,
                        sessionOptions(params, onLivenessQueue)).reportLiveness(new LivenessSession(
                                params.agentId(), params.intervalSeconds() * 100 * HEARTBEAT_EVERY_TENTHS,
                                params.sessionSeconds()));
                follow(params, last);
                store.agentOnline(params.agentId(), last, Workflow.currentTimeMillis());
            } catch (ActivityFailure failure) {
                if (failure.getCause() instanceof CanceledFailure canceled) {
                    throw canceled;
                }
                if (onLivenessQueue && !online && notPickedUp(failure)) {
                    // Its check-in waited on the liveness queue unanswered: an agent that no longer
                    // polls that queue is asked on its command queue, which every version polls.
                    log.info("agent {} did not check in on its liveness queue within {}s; asking on its command "
                            + "queue", params.agentId(), livenessQueueCheckInWait(params).toSeconds());
                    onLivenessQueue = false;
                    continue;
                }
                if (online) {
                    online = false;
                    String reason = failure.getCause() instanceof ApplicationFailure app
                            && CommandActivities.AGENT_SHUT_DOWN.equals(app.getType())
                            ? "the agent shut down"
                            : "no liveness heartbeat for " + heartbeatTimeout(params).toMillis() / 1000.0 + "s";
                    log.info("agent {} is offline: {}", params.agentId(), reason);
                    store.agentOffline(params.agentId(), Workflow.currentTimeMillis(), reason);
                } else {
                    // Already offline and the check-in failed too (e.g. the agent crashed right
                    // after picking it up): wait an interval rather than spin.
                    Workflow.sleep(Duration.ofSeconds(params.intervalSeconds()));
                }
            }
        }
        Workflow.continueAsNew(params.carriedOver(online, onLivenessQueue));
    }

    /** Where the agent, by its own account, takes its liveness from now on. */
    private void follow(LivenessParams params, SystemSnapshot snapshot) {
        if (!livenessQueueVersion || snapshot == null || snapshot.pollsLivenessQueue() == onLivenessQueue) {
            return;
        }
        onLivenessQueue = snapshot.pollsLivenessQueue();
        log.info("agent {} takes its liveness on its {} queue from now on", params.agentId(),
                onLivenessQueue ? "liveness" : "command");
    }

    private static boolean notPickedUp(ActivityFailure failure) {
        return failure.getCause() instanceof TimeoutFailure timeout
                && timeout.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START;
    }

    private static String queue(LivenessParams params, boolean livenessQueue) {
        return livenessQueue ? TaskQueues.livenessForAgent(params.agentId()) : TaskQueues.forAgent(params.agentId());
    }

    @Override
    public boolean online() {
        return online;
    }

    /**
     * No schedule-to-start timeout on the command queue on purpose: while the agent is away the
     * check-in simply waits in its queue (one history event) and completes the moment the agent
     * polls again. On the liveness queue it waits {@link #livenessQueueCheckInWait}.
     */
    static ActivityOptions checkInOptions(LivenessParams params, boolean livenessQueue) {
        ActivityOptions.Builder options = ActivityOptions.newBuilder()
                .setTaskQueue(queue(params, livenessQueue))
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build());
        if (livenessQueue) {
            options.setScheduleToStartTimeout(livenessQueueCheckInWait(params));
        }
        return options.build();
    }

    /**
     * How long a check-in waits on the liveness queue before the agent is asked on its command queue
     * instead, as an agent older than that queue (downgraded) polls only that one: a session's
     * length, at most {@link #LIVENESS_QUEUE_CHECK_IN_WAIT_MAX}. An agent away longer is then asked
     * on its command queue, where its commands have meanwhile given up waiting for it.
     */
    static Duration livenessQueueCheckInWait(LivenessParams params) {
        Duration session = Duration.ofSeconds(Math.max(1, params.sessionSeconds()));
        return session.compareTo(LIVENESS_QUEUE_CHECK_IN_WAIT_MAX) < 0 ? session : LIVENESS_QUEUE_CHECK_IN_WAIT_MAX;
    }

    static Duration heartbeatTimeout(LivenessParams params) {
        return Duration.ofMillis(params.intervalSeconds() * 100 * HEARTBEAT_TIMEOUT_TENTHS);
    }

    static ActivityOptions sessionOptions(LivenessParams params, boolean livenessQueue) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(queue(params, livenessQueue))
                .setScheduleToStartTimeout(heartbeatTimeout(params))
                .setStartToCloseTimeout(Duration.ofSeconds(params.sessionSeconds() + 3 * params.intervalSeconds()))
                .setHeartbeatTimeout(heartbeatTimeout(params))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }
}
