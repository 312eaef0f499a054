package io.mamos.agent.simulate;

import io.mamos.agent.AgentVersion;
import io.mamos.workflows.LivenessActivities;
import io.mamos.workflows.LivenessSession;
import io.mamos.workflows.SystemSnapshot;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionClient;
import io.temporal.client.ActivityCompletionException;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated agent's liveness: a canned snapshot (no OSHI probe), heartbeated from a small shared
 * scheduler. The session completes asynchronously, so a thousand sessions hold no thousand
 * sleeping threads; on the server it looks the same as a real agent's session.
 */
final class SimulatedLivenessActivities implements LivenessActivities {

    private static final Logger log = LoggerFactory.getLogger(SimulatedLivenessActivities.class);

    private final String hostname;
    private final ActivityCompletionClient completions;
    private final ScheduledExecutorService scheduler;

    SimulatedLivenessActivities(String hostname, ActivityCompletionClient completions,
                                ScheduledExecutorService scheduler) {
        this.hostname = hostname;
        this.completions = completions;
        this.scheduler = scheduler;
    }

    @Override
    public SystemSnapshot checkIn(String agentId) {
        return snapshot();
    }

    @Override
    public SystemSnapshot reportLiveness(LivenessSession session) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        byte[] taskToken = context.getTaskToken();
        context.doNotCompleteOnReturn();
        long intervalMillis = Math.max(1_000, session.heartbeatMillis());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(0, session.durationSeconds()));
        // A periodic task that throws is never run again: that is how a session stops beating.
        scheduler.scheduleAtFixedRate(() -> {
            try {
                if (System.nanoTime() >= deadline) {
                    completions.complete(taskToken, snapshot());
                    throw SessionOver.INSTANCE;
                }
                completions.heartbeat(taskToken, snapshot());
            } catch (ActivityCompletionException ended) {
                // Cancelled or timed out on the server: the session is over.
                throw SessionOver.INSTANCE;
            } catch (SessionOver over) {
                throw over;
            } catch (RuntimeException e) {
                log.debug("simulated agent {} heartbeat failed: {}", session.agentId(), e.toString());
            }
        }, 0, intervalMillis, TimeUnit.MILLISECONDS);
        return null;
    }

    private SystemSnapshot snapshot() {
        return new SystemSnapshot(hostname, "Linux", "simulated", "simulated CPU", 1, 0.0, 0.0,
                64L << 20, 1L << 30, List.of(), 0, AgentVersion.current(), 0, null, System.currentTimeMillis(),
                // One poller per simulated agent: liveness stays on its command queue.
                false);
    }

    /** Ends a session's periodic heartbeat task; carries no stack trace. */
    private static final class SessionOver extends RuntimeException {
        static final SessionOver INSTANCE = new SessionOver();

        private SessionOver() {
            super("liveness session over", null, false, false);
        }
    }
}
