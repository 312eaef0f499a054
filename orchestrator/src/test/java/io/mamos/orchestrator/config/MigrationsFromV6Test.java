package io.mamos.orchestrator.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * A store of the schema before planned runs (V6, the releases before v0.2.0) with data in it,
 * migrated up to the latest migration by the orchestrator's own scripts on a real SQLite file:
 * every row survives, and the runs and jobs still in flight are marked for the reconcilers as V7
 * promises. (StoreUpgradeTest does the same from a store the v0.2.0 orchestrator wrote.)
 */
class MigrationsFromV6Test {

    @TempDir
    Path dir;

    @Test
    void storeAtV6MigratesUpKeepingItsRowsAndMarkingWhatWasInFlight() throws Exception {
        Path file = dir.resolve("mamos.db");
        try (SingleConnectionDataSource store = new SingleConnectionDataSource("jdbc:sqlite:" + file, true)) {
            migrate(store, "6");
            JdbcTemplate jdbc = new JdbcTemplate(store);
            jdbc.update("INSERT INTO users (username, password_hash, role, created_at) VALUES "
                    + "('admin', '{bcrypt}hash', 'ADMIN', 1000)");
            jdbc.update("INSERT INTO agents (id, hostname, task_queue, credential_hash, status, enrolled_at, labels_json)"
                    + " VALUES ('a1', 'host-1', 'mamos-agent-a1', 'cred', 'ONLINE', 1000, '{\"env\":\"prod\"}')");
            jdbc.update("INSERT INTO jobs (id, command_name, executable, args_json, timeout_seconds, targets_json,"
                    + " options_json, run_count, state, workflow_id, created_by, created_at, finished_at) VALUES"
                    + " ('done', 'echo', '/usr/bin/echo', '[\"hi\"]', 60, '{\"agentIds\":[\"a1\"]}', '{}', 1,"
                    + " 'SUCCEEDED', 'job-done', 'admin', 2000, 3000),"
                    + " ('live', 'sleep', '/usr/bin/sleep', '[\"60\"]', 90, '{\"agentIds\":[\"a1\"]}', '{}', 1,"
                    + " 'RUNNING', 'job-live', 'admin', 4000, NULL)");
            jdbc.update("INSERT INTO job_runs (job_id, agent_id, position, state, attempt, exit_code, stdout,"
                    + " workflow_id) VALUES ('done', 'a1', 0, 'SUCCEEDED', 1, 0, 'hi\n', 'job-done'),"
                    + " ('live', 'a1', 0, 'RUNNING', 1, NULL, NULL, 'job-live')");
            jdbc.update("INSERT INTO refresh_tokens (token_hash, family_id, username, issued_at, expires_at)"
                    + " VALUES ('rt', 'f1', 'admin', 1000, 9000)");

            Flyway latest = migrate(store, null);

            assertThat(latest.info().pending()).isEmpty();
            assertThat(latest.info().current().getVersion().getVersion()).as("latest applied")
                    .isNotEqualTo("6");
            assertThat(jdbc.queryForList("SELECT username || ' ' || role FROM users", String.class))
                    .containsExactly("admin ADMIN");
            assertThat(jdbc.queryForList("SELECT hostname || ' ' || labels_json || ' ' || liveness_run_id FROM agents",
                    String.class)).containsExactly("host-1 {\"env\":\"prod\"} *");
            assertThat(jdbc.queryForList("SELECT id || ' ' || state || ' ' || IFNULL(workflow_run_id, '-') FROM jobs"
                    + " ORDER BY id", String.class)).containsExactly("done SUCCEEDED -", "live RUNNING *");
            assertThat(jdbc.queryForList("SELECT job_id || ' ' || attempt || ' ' || IFNULL(stdout, '-') || ' '"
                    + " || IFNULL(workflow_run_id, '-') FROM job_runs ORDER BY job_id", String.class))
                    .containsExactly("done 1 hi\n -", "live 1 - *");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM refresh_tokens WHERE family_id = 'f1'", Long.class))
                    .isOne();
        }
    }

    /** Runs the orchestrator's migrations up to {@code target} (null: all of them). */
    private static Flyway migrate(SingleConnectionDataSource store, String target) {
        var config = Flyway.configure().dataSource(store).locations("classpath:db/migration/sqlite");
        Flyway flyway = (target == null ? config : config.target(target)).load();
        flyway.migrate();
        return flyway;
    }
}
