package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A store the v0.2.0 orchestrator made and used (test resource stores/v0.2.0.sql, its
 * {@code sqlite3 .dump}) opened by the current orchestrator: Flyway takes it from V13 to the
 * latest migration, checking that the scripts it applied then are unchanged, and its users, agent,
 * jobs with their runs and output, schedule and audit trail read back through the API as v0.2.0
 * wrote them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoreUpgradeTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-store-upgrade-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        loadFixture("/stores/v0.2.0.sql");
        BACKENDS.register(registry);
    }

    /** Writes the dump into the data folder's mamos.db, before the orchestrator opens it. */
    private static void loadFixture(String resource) {
        String url = "jdbc:sqlite:" + BACKENDS.dataDir().resolve("mamos.db");
        try (InputStream in = StoreUpgradeTest.class.getResourceAsStream(resource);
                Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            // sqlite3_exec: runs every statement of the script, triggers included.
            statement.executeUpdate(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot load " + resource, e);
        }
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Flyway flyway;


    @Test
    void migratesTheReleasesStoreUpToTheLatestMigrationKeepingWhatItApplied() {
        MigrationInfo[] applied = flyway.info().applied();
        List<String> versions = new ArrayList<>();
        for (MigrationInfo migration : applied) {
            versions.add(migration.getVersion().getVersion());
        }

        assertThat(flyway.info().pending()).as("migrations left to apply").isEmpty();
        assertThat(versions).as("applied migrations, oldest first").startsWith("1", "2", "3", "4", "5", "6", "7", "8",
                "12", "13");
        assertThat(applied).allSatisfy(migration -> assertThat(migration.getState().isFailed()).isFalse());
        assertThat(flyway.info().current().getVersion())
                .isEqualTo(applied[applied.length - 1].getVersion());
    }

    @Test
    void usersOfTheReleaseLogInWithTheirPasswords() {
        HttpResponse<String> response = api().send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"operator1\",\"password\":\"fixture-operator-pw\"}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    @Test
    void jobsOfTheReleaseReadBackWithTheirRunsAndOutput() {
        String token = operatorToken();

        JsonNode jobs = json.readTree(api().send("GET", "/api/v1/jobs", token, null).body()).path("items");
        assertThat(jobs).extracting(job -> job.path("command").asString() + " " + job.path("state").asString())
                .containsExactlyInAnyOrder("echo SUCCEEDED", "sleep SUCCEEDED");
        JsonNode echo = find(jobs, "command", "echo");
        assertThat(echo.path("args").get(0).asString()).isEqualTo("made by v0.2.0");
        assertThat(echo.path("createdBy").asString()).isEqualTo("admin");

        JsonNode runs = json.readTree(api().send("GET", "/api/v1/jobs/" + echo.path("id").asString() + "/runs", token,
                null).body()).path("items");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).path("state").asString()).isEqualTo("SUCCEEDED");
        assertThat(runs.get(0).path("exitCode").asInt()).isZero();
        assertThat(runs.get(0).path("stdout").asString()).isEqualTo("made by v0.2.0\n");
        assertThat(runs.get(0).path("hostname").asString()).isEqualTo("fixture-agent");
    }

    @Test
    void agentScheduleAndAuditTrailOfTheReleaseSurvive() {
        String token = operatorToken();

        JsonNode agents = json.readTree(api().send("GET", "/api/v1/agents", token, null).body()).path("items");
        JsonNode agent = find(agents, "hostname", "fixture-agent");
        assertThat(agent.path("labels").path("env").asString()).isEqualTo("fixture");

        JsonNode schedules = json.readTree(api().send("GET", "/api/v1/schedules", token, null).body()).path("items");
        JsonNode schedule = find(schedules, "name", "fixture uptime");
        assertThat(schedule.path("cron").asString()).isEqualTo("0 3 * * *");
        assertThat(schedule.path("job").path("command").asString()).isEqualTo("uptime");

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE at < ?", Long.class,
                FIXTURE_MADE_BEFORE)).as("audit events v0.2.0 recorded").isEqualTo(7);
    }

    /** Every row of the fixture is older than this (2026-12-02T23:00Z, epoch milliseconds). */
    private static final long FIXTURE_MADE_BEFORE = 1_796_252_400_000L;

    private TestApi api() {
        return new TestApi(port, json, BACKENDS);
    }

    private String operatorToken() {
        HttpResponse<String> response = api().send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"operator1\",\"password\":\"fixture-operator-pw\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("accessToken").asString();
    }

    private static JsonNode find(JsonNode items, String field, String value) {
        for (JsonNode item : items) {
            if (item.path(field).asString().equals(value)) {
                return item;
            }
        }
        throw new AssertionError("no item with " + field + "=" + value + " in " + items);
    }
}
