package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * A schedule's firing runs with its creator's role, so firing, pausing, resuming or deleting it
 * needs the right to run its command: an operator cannot fire or silence an admin-only schedule.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ScheduleRightsTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-schedule-rights-test");
    private static final String PASSWORD = "schedule password 123";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        BACKENDS.register(registry);
        Path policy = BACKENDS.dataDir().resolve("policy.yml");
        Files.writeString(policy, """
                commands:
                  echo:
                    description: Print the arguments
                    executable: /usr/bin/echo
                    maxArgs: 4
                  wipe-cache:
                    description: An admin-only command
                    executable: /usr/bin/true
                    roles: [ADMIN]
                """);
        registry.add("mamos.policy-file", policy::toString);
        registry.add("mamos.auth.failed-logins-per-minute", () -> "1000");
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

    private TestApi api;
    private String adminToken;
    private String operatorToken;

    @BeforeEach
    void logIn() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        adminToken = login("admin", Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip());
        if (api.send("GET", "/api/v1/users", adminToken, null).body().contains("\"olga\"")) {
            operatorToken = login("olga", PASSWORD);
            return;
        }
        var created = api.send("POST", "/api/v1/users", adminToken,
                "{\"username\":\"olga\",\"password\":\"" + PASSWORD + "\",\"role\":\"OPERATOR\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        operatorToken = login("olga", PASSWORD);
    }

    @Test
    void anOperatorCannotFirePauseResumeOrDeleteAnAdminOnlySchedule() {
        String id = createSchedule("admin-wipe", "wipe-cache");
        var before = api.workflowIds();

        for (String action : new String[] {"trigger", "pause", "resume"}) {
            var refused = api.send("POST", "/api/v1/schedules/" + id + "/" + action, operatorToken, null);
            assertThat(refused.statusCode()).as(action).isEqualTo(403);
            assertThat(api.assertProblem(refused, null)).contains("wipe-cache");
        }
        assertThat(api.send("DELETE", "/api/v1/schedules/" + id, operatorToken, null).statusCode()).isEqualTo(403);

        assertThat(api.workflowIds()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(api.send("GET", "/api/v1/schedules/" + id, operatorToken, null).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT action FROM audit_events WHERE target = ?", String.class, id))
                .isEmpty();
    }

    @Test
    void anAdminMayFireTheirAdminOnlySchedule() {
        String id = createSchedule("admin-wipe-now", "wipe-cache");

        assertThat(api.send("POST", "/api/v1/schedules/" + id + "/trigger", adminToken, null).statusCode())
                .isEqualTo(202);
    }

    @Test
    void anOperatorMayStillFireAScheduleOfACommandTheyMayRun() {
        String id = createSchedule("admin-echo", "echo");

        assertThat(api.send("POST", "/api/v1/schedules/" + id + "/trigger", operatorToken, null).statusCode())
                .isEqualTo(202);
    }

    /**
     * An admin's schedule as the store records it. (The in-process Temporal test server has no
     * Schedules API, so the row is written as {@code POST /api/v1/schedules} would write it; every
     * refusal tested here happens before Temporal is asked anything.)
     */
    private String createSchedule(String name, String command) {
        String id = java.util.UUID.randomUUID().toString();
        jdbc.update("INSERT INTO schedules (id, name, cron, job_json, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, name, "0 0 1 1 *", "{\"command\":\"" + command + "\",\"targets\":{\"all\":true}}", "admin",
                System.currentTimeMillis());
        return id;
    }

    private String login(String username, String password) {
        var response = api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.read(response).get("accessToken").asString();
    }
}
