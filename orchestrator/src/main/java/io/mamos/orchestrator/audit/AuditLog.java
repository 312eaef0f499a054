package io.mamos.orchestrator.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The audit log: who did what, when, from where. Append-only — the store's triggers refuse
 * updates and deletes. Never records secrets (tokens, passwords), only ids.
 */
@Repository
public class AuditLog {

    private final NamedParameterJdbcTemplate jdbc;

    AuditLog(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records an action; the source address is taken from the current HTTP request, if any. */
    public void record(String actor, String action, String target, String detail) {
        jdbc.update("""
                INSERT INTO audit_events (at, actor, action, target, detail, source_ip)
                VALUES (:at, :actor, :action, :target, :detail, :ip)
                """, new MapSqlParameterSource("at", Instant.now().toEpochMilli())
                .addValue("actor", actor)
                .addValue("action", action)
                .addValue("target", target)
                .addValue("detail", detail)
                .addValue("ip", currentSourceIp()));
    }

    public List<AuditEvent> page(int page, int size) {
        return jdbc.query("""
                SELECT id, at, actor, action, target, detail, source_ip FROM audit_events
                ORDER BY id DESC LIMIT :size OFFSET :offset
                """, new MapSqlParameterSource("size", size).addValue("offset", (long) page * size),
                (rs, row) -> new AuditEvent(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
    }

    public long count() {
        Long count = jdbc.getJdbcTemplate().queryForObject("SELECT COUNT(*) FROM audit_events", Long.class);
        return count == null ? 0 : count;
    }

    private static String currentSourceIp() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }

    public record AuditEvent(long id, Instant at, String actor, String action, String target, String detail,
            String sourceIp) {
    }
}
