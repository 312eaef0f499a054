package io.mamos.orchestrator.agent;

import io.mamos.workflows.DiskUsage;
import io.mamos.workflows.SystemSnapshot;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes of liveness data. Presence transitions are conditional UPDATEs so replays are
 * harmless; snapshot mirroring is batched, one transaction per mirroring pass.
 */
@Repository
public class AgentSnapshotStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonMapper json;

    AgentSnapshotStore(NamedParameterJdbcTemplate jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Marks the agent ONLINE (recording when it came back if it was OFFLINE) with its snapshot. */
    public void online(String agentId, SystemSnapshot snapshot, Instant at) {
        jdbc.update("""
                UPDATE agents SET
                    came_back_at = CASE WHEN status = 'OFFLINE' THEN :at ELSE came_back_at END,
                    status = 'ONLINE', last_seen_at = CASE WHEN COALESCE(last_seen_at, 0) > :at THEN last_seen_at ELSE :at END, snapshot_json = :snapshot
                WHERE id = :id AND status <> 'DECOMMISSIONED'
                """, new MapSqlParameterSource("id", agentId).addValue("at", at.toEpochMilli())
                .addValue("snapshot", json.writeValueAsString(snapshot)));
    }

    public void offline(String agentId, Instant at) {
        jdbc.update("""
                UPDATE agents SET status = 'OFFLINE', went_offline_at = :at
                WHERE id = :id AND status IN ('ONLINE', 'ENROLLED')
                """, new MapSqlParameterSource("id", agentId).addValue("at", at.toEpochMilli()));
    }

    /** Mirrors heartbeated snapshots of online agents, each also a sample of their history. */
    @Transactional
    public void mirror(List<Heartbeat> heartbeats) {
        jdbc.batchUpdate("""
                UPDATE agents SET last_seen_at = :at, snapshot_json = :snapshot
                WHERE id = :id AND status = 'ONLINE' AND COALESCE(last_seen_at, 0) < :at
                """, heartbeats.stream().map(h -> (SqlParameterSource) new MapSqlParameterSource("id", h.agentId())
                .addValue("at", h.at().toEpochMilli())
                .addValue("snapshot", json.writeValueAsString(h.snapshot()))).toArray(SqlParameterSource[]::new));
        jdbc.batchUpdate("""
                INSERT INTO agent_metrics (agent_id, captured_at, cpu_usage, load_average_1m,
                    memory_used_bytes, memory_total_bytes, disk_used_bytes, disk_total_bytes, running_jobs)
                VALUES (:id, :at, :cpu, :load, :memUsed, :memTotal, :diskUsed, :diskTotal, :running)
                ON CONFLICT DO NOTHING
                """, heartbeats.stream().map(AgentSnapshotStore::sampleParameters).toArray(SqlParameterSource[]::new));
    }

    public int pruneHistory(Instant olderThan) {
        return jdbc.update("DELETE FROM agent_metrics WHERE captured_at < :t",
                new MapSqlParameterSource("t", olderThan.toEpochMilli()));
    }

    public List<MetricSample> history(String agentId, Instant from, Instant to, int limit) {
        return jdbc.query("""
                SELECT captured_at, cpu_usage, load_average_1m, memory_used_bytes, memory_total_bytes,
                       disk_used_bytes, disk_total_bytes, running_jobs
                FROM agent_metrics WHERE agent_id = :id AND captured_at BETWEEN :from AND :to
                ORDER BY captured_at LIMIT :limit
                """, new MapSqlParameterSource("id", agentId).addValue("from", from.toEpochMilli())
                .addValue("to", to.toEpochMilli()).addValue("limit", limit),
                (rs, row) -> new MetricSample(Instant.ofEpochMilli(rs.getLong(1)), rs.getDouble(2), rs.getDouble(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getInt(8)));
    }

    private static SqlParameterSource sampleParameters(Heartbeat h) {
        SystemSnapshot s = h.snapshot();
        return new MapSqlParameterSource("id", h.agentId())
                .addValue("at", h.at().toEpochMilli())
                .addValue("cpu", s.cpuUsage())
                .addValue("load", s.loadAverage1m())
                .addValue("memUsed", s.memoryUsedBytes())
                .addValue("memTotal", s.memoryTotalBytes())
                .addValue("diskUsed", s.disks().stream().mapToLong(DiskUsage::usedBytes).sum())
                .addValue("diskTotal", s.disks().stream().mapToLong(DiskUsage::totalBytes).sum())
                .addValue("running", s.runningJobs());
    }

    /** A snapshot an agent heartbeated at a given time. */
    public record Heartbeat(String agentId, Instant at, SystemSnapshot snapshot) {
    }

    /** One stored point of an agent's metric history. */
    public record MetricSample(Instant capturedAt, double cpuUsage, double loadAverage1m, long memoryUsedBytes,
            long memoryTotalBytes, long diskUsedBytes, long diskTotalBytes, int runningJobs) {
    }
}
