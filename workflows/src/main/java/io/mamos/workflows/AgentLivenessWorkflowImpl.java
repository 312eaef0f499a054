package io.mamos.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * Loop: check in (waits, without a timeout, for the agent to poll), record ONLINE, run a
 * heartbeating session; when heartbeats stop, record OFFLINE and check in again. Each session is
 * a few history events; the run continues as new after a fixed number of sessions.
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

    private static final Logger log = Workflow.getLogger(AgentLivenessWorkflowImpl.class);

    /** Retried until the store answers, as the job workflows' writes are ({@link RunExecution#storeOptions}). */
    private final AgentStoreActivities store = Workflow.newLocalActivityStub(AgentStoreActivities.class,
            RunExecution.storeOptions());

    private boolean online;

    @Override
    public void run(LivenessParams params) {
        online = params.online();
        LivenessActivities checkIn = Workflow.newActivityStub(LivenessActivities.class, checkInOptions(params));
        LivenessActivities session = Workflow.newActivityStub(LivenessActivities.class, sessionOptions(params));
        for (int i = 0; i < params.sessionsBeforeContinueAsNew(); i++) {
            try {
                SystemSnapshot first = checkIn.checkIn(params.agentId());
                if (!online) {
                    log.info("agent {} is online", params.agentId());
                }
                online = true;
                store.agentOnline(params.agentId(), first, Workflow.currentTimeMillis());
                SystemSnapshot last = session.reportLiveness(new LivenessSession(
                        params.agentId(), params.intervalSeconds() * 100 * HEARTBEAT_EVERY_TENTHS,
                        params.sessionSeconds()));
                store.agentOnline(params.agentId(), last, Workflow.currentTimeMillis());
            } catch (ActivityFailure failure) {
                if (failure.getCause() instanceof CanceledFailure canceled) {
                    throw canceled;
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
        Workflow.continueAsNew(params.withOnline(online));
    }

    @Override
    public boolean online() {
        return online;
    }

    /**
     * No schedule-to-start timeout on purpose: while the agent is away the check-in simply waits
     * in its queue (one history event) and completes the moment the agent polls again.
     */
    static ActivityOptions checkInOptions(LivenessParams params) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.forAgent(params.agentId()))
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }

    static Duration heartbeatTimeout(LivenessParams params) {
        return Duration.ofMillis(params.intervalSeconds() * 100 * HEARTBEAT_TIMEOUT_TENTHS);
    }

    static ActivityOptions sessionOptions(LivenessParams params) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(TaskQueues.forAgent(params.agentId()))
                .setScheduleToStartTimeout(heartbeatTimeout(params))
                .setStartToCloseTimeout(Duration.ofSeconds(params.sessionSeconds() + 3 * params.intervalSeconds()))
                .setHeartbeatTimeout(heartbeatTimeout(params))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build();
    }
}
