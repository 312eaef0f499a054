package io.mamos.agent.liveness;

import io.mamos.agent.system.SystemProbe;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.LivenessActivities;
import io.mamos.workflows.LivenessSession;
import io.mamos.workflows.SystemSnapshot;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationErrorCategory;
import io.temporal.failure.ApplicationFailure;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent side of {@link io.mamos.workflows.AgentLivenessWorkflow}: answers check-ins and
 * heartbeats snapshots of this host for the length of a session. A session holds an activity
 * slot all along, which is why the worker sizes its slots as commands plus
 * {@link #SLOTS}.
 */
public final class LivenessActivitiesImpl implements LivenessActivities {

    /**
     * Activity slots liveness may hold at once: its session, plus a check-in or new session
     * arriving while a session the workflow already gave up on (timed out) winds down.
     */
    public static final int SLOTS = 2;

    private static final Logger log = LoggerFactory.getLogger(LivenessActivitiesImpl.class);

    private final SystemProbe probe;
    private final CountDownLatch stopping = new CountDownLatch(1);

    public LivenessActivitiesImpl(SystemProbe probe) {
        this.probe = probe;
    }

    @Override
    public SystemSnapshot checkIn(String agentId) {
        if (stopping.getCount() == 0) {
            throw shuttingDown();
        }
        log.debug("agent {} checked in", agentId);
        return probe.snapshot();
    }

    @Override
    public SystemSnapshot reportLiveness(LivenessSession session) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        long intervalNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1_000, session.heartbeatMillis()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, session.durationSeconds()));
        log.debug("agent {} liveness session: every {} ms for {}s", session.agentId(),
                session.heartbeatMillis(), session.durationSeconds());
        try {
            SystemSnapshot last = probe.snapshot();
            while (true) {
                context.heartbeat(last);
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return last;
                }
                if (stopping.await(Math.min(remaining, intervalNanos), TimeUnit.NANOSECONDS)) {
                    throw shuttingDown();
                }
                last = probe.snapshot();
            }
        } catch (ActivityCompletionException stopped) {
            // Cancelled, timed out on the server, or the worker is going away: nothing to clean up.
            log.debug("agent {} liveness session ended early: {}", session.agentId(),
                    stopped.getClass().getSimpleName());
            throw stopped;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw shuttingDown();
        }
    }

    /**
     * Ends running sessions now (SIGTERM). They fail rather than return, so the liveness workflow
     * records the agent OFFLINE at once instead of after its missed-heartbeat timeout.
     */
    public void stop() {
        stopping.countDown();
    }

    /** Benign: an expected end, which the SDK neither logs as a warning nor counts as a failure. */
    private static ApplicationFailure shuttingDown() {
        return ApplicationFailure.newBuilder()
                .setMessage("the agent is shutting down")
                .setType(CommandActivities.AGENT_SHUT_DOWN)
                .setNonRetryable(true)
                .setCategory(ApplicationErrorCategory.BENIGN)
                .build();
    }
}
