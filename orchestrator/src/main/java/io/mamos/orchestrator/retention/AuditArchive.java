package io.mamos.orchestrator.retention;

import io.mamos.orchestrator.config.MamosProperties;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Moves old audit events out of the store without losing or rewriting any: a batch is written to
 * a gzip'd JSON-lines file ({@code <data dir>/audit-archive/}), flushed to disk, recorded with its
 * SHA-256 in {@code audit_archives} (append-only like the log), and only then deleted — the store's
 * trigger refuses to delete an event that no archive record covers.
 */
@Component
public class AuditArchive {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Path folder;

    AuditArchive(JdbcClient jdbc, TransactionTemplate transactions, JsonMapper json, MamosProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.json = json;
        this.folder = properties.dataDir().resolve("audit-archive");
    }

    /** One archive record: the event ids it covers, its file and digest. */
    public record Archived(long firstId, long lastId, int count, Path file, String sha256) {
    }

    /**
     * Archives and removes up to {@code limit} of the oldest events recorded before {@code cutoff}.
     *
     * @return what was archived, or null when no event is that old
     */
    Archived archiveBefore(Instant cutoff, int limit) {
        List<Map<String, Object>> events = jdbc.sql("""
                SELECT id, at, actor, action, target, detail, source_ip FROM audit_events
                WHERE at < ? ORDER BY id LIMIT ?
                """).params(cutoff.toEpochMilli(), limit).query((rs, row) -> {
                    Map<String, Object> event = new LinkedHashMap<>();
                    event.put("id", rs.getLong("id"));
                    event.put("at", Instant.ofEpochMilli(rs.getLong("at")).toString());
                    event.put("actor", rs.getString("actor"));
                    event.put("action", rs.getString("action"));
                    event.put("target", rs.getString("target"));
                    event.put("detail", rs.getString("detail"));
                    event.put("sourceIp", rs.getString("source_ip"));
                    return event;
                }).list();
        if (events.isEmpty()) {
            return null;
        }
        long first = (long) events.get(0).get("id");
        long last = (long) events.get(events.size() - 1).get("id");
        Path file = folder.resolve("audit-%012d-%012d.jsonl.gz".formatted(first, last));
        String sha256 = write(file, events);
        Archived archived = new Archived(first, last, events.size(), file, sha256);
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    INSERT INTO audit_archives (first_id, last_id, event_count, file, sha256, archived_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """).params(first, last, events.size(), file.getFileName().toString(), sha256,
                    Instant.now().toEpochMilli()).update();
            // Only the ids written: an event recorded meanwhile with an id in the range is impossible
            // (ids only grow), and one not yet as old as the cutoff is not in the batch.
            jdbc.sql("DELETE FROM audit_events WHERE id BETWEEN ? AND ? AND at < ?")
                    .params(first, last, cutoff.toEpochMilli()).update();
        });
        return archived;
    }

    /** Writes the file under a temporary name, syncs it and renames it into place; returns its SHA-256. */
    private String write(Path file, List<Map<String, Object>> events) {
        try {
            Files.createDirectories(folder);
            Path partial = folder.resolve(file.getFileName() + ".partial");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (OutputStream out = new GZIPOutputStream(new DigestOutputStream(Files.newOutputStream(partial,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE),
                    digest))) {
                for (Map<String, Object> event : events) {
                    out.write(json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                }
            }
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit archive " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
