package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.mamos.workflows.AgentStoreActivities;
import io.mamos.workflows.SystemSnapshot;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Presence transitions from the liveness workflows; runs as local activities in the orchestrator.
 * Only the liveness workflow the orchestrator started for the agent may write them
 * ({@link LivenessRuns}); any other call is refused, audited and counted, and changes nothing.
 */
@Component
class AgentStoreActivitiesImpl implements AgentStoreActivities {

    private static final Logger log = LoggerFactory.getLogger(AgentStoreActivitiesImpl.class);

    private final AgentSnapshotStore store;
    private final ApplicationEventPublisher events;
    private final LivenessRuns liveness;
    private final Callers callers;

    AgentStoreActivitiesImpl(AgentSnapshotStore store, ApplicationEventPublisher events, LivenessRuns liveness,
            Callers callers) {
        this.store = store;
        this.events = events;
        this.liveness = liveness;
        this.callers = callers;
    }

    @Override
    public void agentOnline(String agentId, SystemSnapshot snapshot, long atMillis) {
        check(agentId);
        store.online(agentId, snapshot, Instant.ofEpochMilli(atMillis));
        events.publishEvent(new AgentChanged(agentId));
    }

    @Override
    public void agentOffline(String agentId, long atMillis, String reason) {
        check(agentId);
        log.info("agent {} marked OFFLINE: {}", agentId, reason);
        store.offline(agentId, Instant.ofEpochMilli(atMillis));
        events.publishEvent(new AgentChanged(agentId));
    }

    private void check(String agentId) {
        Caller caller = callers.current();
        try {
            liveness.check(caller, agentId);
        } catch (ForgedCallException refused) {
            throw callers.refuse(caller, refused);
        }
    }
}
