package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.orchestrator.retention.Retention;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Retention deletes exactly the finished jobs and archives exactly the audit events its settings name. */
@SpringBootTest
class RetentionTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-retention-test");
    private static final Duration DAY = Duration.ofDays(1);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.retention.jobs", () -> "30d");
        registry.add("mamos.retention.audit", () -> "365d");
        // Passes run only when the test asks, and batches are small so several are needed.
        registry.add("mamos.retention.interval", () -> "1000d");
        registry.add("mamos.retention.batch-size", () -> "2");
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @Autowired
    Retention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JsonMapper json;

    @Test
    void deletesFinishedJobsOlderThanTheSettingAndNothingElse() {
        Instant now = Instant.now();
        jdbc.update("INSERT INTO agents (id, hostname, task_queue, credential_hash, status, enrolled_at) "
                + "VALUES ('agent-r', 'host-r', 'mamos-agent-agent-r', 'hash-r', 'ONLINE', ?)", now.toEpochMilli());
        job("old-1", "SUCCEEDED", now.minus(DAY.multipliedBy(31)), 2);
        job("old-2", "FAILED", now.minus(DAY.multipliedBy(40)), 1);
        job("old-3", "CANCELED", now.minus(DAY.multipliedBy(400)), 1);
        job("recent", "SUCCEEDED", now.minus(DAY.multipliedBy(29)), 1);
        // Started long ago and never ended: kept, whatever its age.
        job("still-running", "RUNNING", null, 1);

        Retention.Pass pass = retention.runOnce();

        assertThat(pass.jobs()).isEqualTo(3);
        assertThat(pass.runs()).isEqualTo(4);
        assertThat(jdbc.queryForList("SELECT id FROM jobs WHERE id LIKE 'r-%' ORDER BY id", String.class))
                .containsExactly("r-recent", "r-still-running");
        assertThat(jdbc.queryForList("SELECT DISTINCT job_id FROM job_runs WHERE job_id LIKE 'r-%' ORDER BY job_id",
                String.class)).containsExactly("r-recent", "r-still-running");
        assertThat(retention.runOnce().jobs()).isZero();
    }

    @Test
    void archivesOldAuditEventsToAVerifiableFileBeforeRemovingThem() throws Exception {
        Instant now = Instant.now();
        long first = audit(now.minus(DAY.multipliedBy(500)), "old.one");
        long second = audit(now.minus(DAY.multipliedBy(400)), "old.two");
        long third = audit(now.minus(DAY.multipliedBy(366)), "old.three");
        long kept = audit(now.minus(DAY.multipliedBy(364)), "recent");

        Retention.Pass pass = retention.runOnce();

        assertThat(pass.auditEvents()).isEqualTo(3);
        assertThat(pass.archives()).hasSize(2);
        assertThat(jdbc.queryForList("SELECT id FROM audit_events WHERE id IN (?, ?, ?, ?)", Long.class,
                first, second, third, kept)).containsExactly(kept);
        List<JsonNode> archived = new java.util.ArrayList<>();
        for (var archive : pass.archives()) {
            Path file = archive.file();
            assertThat(sha256(file)).isEqualTo(archive.sha256()).isEqualTo(jdbc.queryForObject(
                    "SELECT sha256 FROM audit_archives WHERE file = ?", String.class, file.getFileName().toString()));
            for (String line : gunzip(file).lines().toList()) {
                archived.add(json.readTree(line));
            }
        }
        assertThat(archived).extracting(event -> event.path("action").asString())
                .containsExactly("old.one", "old.two", "old.three");
        assertThat(archived.get(0).path("id").asLong()).isEqualTo(first);
        // The pass itself is audited, with the archives' digests.
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_events WHERE action = 'retention.pruned' "
                + "ORDER BY id DESC LIMIT 1", String.class)).contains("auditEvents=3", pass.archives().get(0).sha256());
    }

    @Test
    void theStoreStillRefusesToDeleteOrChangeAnUnarchivedEventOrAnArchiveRecord() {
        long event = audit(Instant.now(), "fresh");

        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_events WHERE id = ?", event))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_events SET actor = 'someone else' WHERE id = ?", event))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
        jdbc.update("INSERT INTO audit_archives (first_id, last_id, event_count, file, sha256, archived_at) "
                + "VALUES (-2, -1, 0, 'none', 'none', 0)");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_archives WHERE first_id = -2"))
                .isInstanceOf(DataAccessException.class).hasMessageContaining("append-only");
    }

    private void job(String name, String state, Instant finishedAt, int runs) {
        String id = "r-" + name;
        long created = Instant.now().minus(DAY.multipliedBy(500)).toEpochMilli();
        jdbc.update("""
                INSERT INTO jobs (id, command_name, executable, args_json, timeout_seconds, targets_json, options_json,
                                  run_count, state, workflow_id, created_by, created_at, finished_at)
                VALUES (?, 'echo', '/usr/bin/echo', '[]', 10, '{}', '{}', ?, ?, ?, 'admin', ?, ?)
                """, id, runs, state, "job-" + id, created, finishedAt == null ? null : finishedAt.toEpochMilli());
        for (int i = 0; i < runs; i++) {
            String agent = "agent-r";
            if (i > 0) {
                agent = "agent-r" + i;
                jdbc.update("INSERT INTO agents (id, hostname, task_queue, credential_hash, status, "
                        + "enrolled_at) VALUES (?, ?, ?, ?, 'ONLINE', 0) ON CONFLICT DO NOTHING", agent, agent, "q-" + agent, "h-" + agent);
            }
            jdbc.update("INSERT INTO job_runs (job_id, agent_id, position, state, workflow_id, stdout) "
                    + "VALUES (?, ?, ?, ?, ?, 'output')", id, agent, i, state, "job-" + id);
        }
    }

    private long audit(Instant at, String action) {
        jdbc.update("INSERT INTO audit_events (at, actor, action) VALUES (?, 'tester', ?)", at.toEpochMilli(), action);
        return jdbc.queryForObject("SELECT MAX(id) FROM audit_events", Long.class);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static String gunzip(Path file) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
