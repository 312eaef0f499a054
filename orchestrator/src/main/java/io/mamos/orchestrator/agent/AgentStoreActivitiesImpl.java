package io.mamos.orchestrator.agent;

import io.mamos.workflows.AgentStoreActivities;
import io.mamos.workflows.SystemSnapshot;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/** Presence transitions from the liveness workflows; runs as local activities in the orchestrator. */
@Component
class AgentStoreActivitiesImpl implements AgentStoreActivities {

    private static final Logger log = LoggerFactory.getLogger(AgentStoreActivitiesImpl.class);

    private final AgentSnapshotStore store;
    private final ApplicationEventPublisher events;

    AgentStoreActivitiesImpl(AgentSnapshotStore store, ApplicationEventPublisher events) {
        this.store = store;
        this.events = events;
    }

    @Override
    public void agentOnline(String agentId, SystemSnapshot snapshot, long atMillis) {
        store.online(agentId, snapshot, Instant.ofEpochMilli(atMillis));
        events.publishEvent(new AgentChanged(agentId));
    }

    @Override
    public void agentOffline(String agentId, long atMillis, String reason) {
        log.info("agent {} marked OFFLINE: {}", agentId, reason);
        store.offline(agentId, Instant.ofEpochMilli(atMillis));
        events.publishEvent(new AgentChanged(agentId));
    }
}
