package io.mamos.orchestrator.agent;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.web.InvalidRequestException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.SystemSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

@Service
public class AgentService {

    static final int MAX_HISTORY_POINTS = 10_000;
    static final Duration MAX_HISTORY_RANGE = Duration.ofDays(31);

    private static final Logger log = LoggerFactory.getLogger(AgentService.class);
    private static final Sort BY_ENROLLMENT = Sort.by("enrolledAt");
    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    private final AgentRepository agents;
    private final AgentSnapshotStore snapshots;
    private final AgentLiveness liveness;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final AuditLog audit;

    AgentService(AgentRepository agents, AgentSnapshotStore snapshots, AgentLiveness liveness,
            ApplicationEventPublisher events, JsonMapper json, AuditLog audit) {
        this.audit = audit;
        this.agents = agents;
        this.snapshots = snapshots;
        this.liveness = liveness;
        this.events = events;
        this.json = json;
    }

    public List<AgentView> list(AgentStatus status) {
        List<Agent> found = status == null ? agents.findAll(BY_ENROLLMENT) : agents.findAllByStatus(status, BY_ENROLLMENT);
        return found.stream().map(this::view).toList();
    }

    public AgentView get(String id) {
        return view(find(id));
    }

    public List<AgentSnapshotStore.MetricSample> history(String id, Instant from, Instant to) {
        find(id);
        Instant end = to == null ? Instant.now() : to;
        Instant start = from == null ? end.minus(Duration.ofHours(1)) : from;
        if (start.isAfter(end)) {
            throw new InvalidRequestException("'from' must not be after 'to'");
        }
        if (Duration.between(start, end).compareTo(MAX_HISTORY_RANGE) > 0) {
            throw new InvalidRequestException("the range may span at most " + MAX_HISTORY_RANGE.toDays() + " days");
        }
        return snapshots.history(id, start, end, MAX_HISTORY_POINTS);
    }

    /** Ends the agent's liveness workflow and revokes its credential; its jobs stay on record. */
    public AgentView decommission(String id, String user) {
        find(id);
        if (agents.decommission(id, Instant.now().toEpochMilli()) == 1) {
            liveness.stop(id);
            audit.record(user, "agent.decommissioned", id, null);
            log.info("agent {} decommissioned by {}", id, user);
            events.publishEvent(new AgentChanged(id));
        }
        return get(id);
    }

    /** Replaces the agent's labels; jobs submitted from now on select by the new ones. */
    public AgentView updateLabels(String id, Map<String, String> labels, String user) {
        Map<String, String> valid = Labels.validated(labels);
        find(id);
        agents.updateLabels(id, json.writeValueAsString(valid));
        audit.record(user, "agent.labels-changed", id, valid.toString());
        events.publishEvent(new AgentChanged(id));
        return get(id);
    }

    /** Agents a selector can pick: ONLINE, in enrollment order, with their labels. */
    public List<Agent> online() {
        return agents.findAllByStatus(AgentStatus.ONLINE, BY_ENROLLMENT);
    }

    public Map<String, String> labels(Agent agent) {
        return agent.labelsJson() == null ? Map.of() : json.readValue(agent.labelsJson(), LABELS);
    }

    private Agent find(String id) {
        return agents.findById(id).orElseThrow(() -> new NotFoundException("agent", id));
    }

    private AgentView view(Agent agent) {
        SystemSnapshot snapshot = agent.snapshotJson() == null ? null
                : json.readValue(agent.snapshotJson(), SystemSnapshot.class);
        return new AgentView(agent.id(), agent.hostname(), agent.os(), agent.agentVersion(), agent.taskQueue(),
                agent.status(), agent.enrolledAt(), agent.lastSeenAt(), agent.wentOfflineAt(), agent.cameBackAt(),
                agent.decommissionedAt(), labels(agent), snapshot);
    }
}
