package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.config.Secrets;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Login, refresh-token rotation and reuse detection, logout, and what user changes do to sessions. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SessionTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-session-test");
    private static final String PASSWORD = "session password 123";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
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

    @BeforeEach
    void logInAsAdmin() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        String password = java.nio.file.Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
        adminToken = login("admin", password).get("accessToken").asString();
    }

    @Test
    void loginAnswersAShortLivedAccessTokenAndARefreshTokenStoredOnlyAsAHash() {
        createUser("sam", "VIEWER");

        JsonNode session = login("sam", PASSWORD);

        assertThat(session.get("expiresIn").asLong()).isEqualTo(15 * 60);
        assertThat(session.get("role").asString()).isEqualTo("VIEWER");
        String refresh = session.get("refreshToken").asString();
        assertThat(refresh).startsWith("mamos_rt_");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?", Long.class,
                Secrets.sha256(refresh))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = ?", Long.class,
                refresh)).isZero();
        assertThat(api.send("GET", "/api/v1/agents", session.get("accessToken").asString(), null).statusCode())
                .isEqualTo(200);
    }

    @Test
    void refreshRotatesAndAReusedTokenRevokesTheWholeSession() {
        createUser("rita", "OPERATOR");
        String first = login("rita", PASSWORD).get("refreshToken").asString();

        var rotated = refresh(first);
        assertThat(rotated.statusCode()).isEqualTo(200);
        JsonNode second = api.read(rotated);
        assertThat(second.get("refreshToken").asString()).isNotEqualTo(first);
        assertThat(api.send("GET", "/api/v1/jobs", second.get("accessToken").asString(), null).statusCode())
                .isEqualTo(200);

        var reused = refresh(first);
        assertThat(reused.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(reused, "invalid-refresh-token")).contains("already used");
        // The thief's replay also ended the legitimate holder's session.
        var afterReuse = refresh(second.get("refreshToken").asString());
        assertThat(afterReuse.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(afterReuse, "invalid-refresh-token")).contains("revoked");
        assertThat(auditActions("rita")).contains("login", "token.refreshed", "refresh-token.reused");
    }

    @Test
    void tenConcurrentRefreshesWithOneTokenYieldExactlyOneNewPair() throws Exception {
        createUser("cass", "VIEWER");
        String refresh = login("cass", PASSWORD).get("refreshToken").asString();
        var start = new java.util.concurrent.CountDownLatch(1);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(10);
        var results = new java.util.ArrayList<java.util.concurrent.Future<HttpResponse<String>>>();
        for (int i = 0; i < 10; i++) {
            results.add(pool.submit(() -> {
                start.await();
                return refresh(refresh);
            }));
        }
        start.countDown();
        var statuses = new java.util.ArrayList<Integer>();
        for (var result : results) {
            statuses.add(result.get().statusCode());
        }
        pool.shutdown();

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        assertThat(statuses).filteredOn(status -> status == 401).hasSize(9);
    }

    @Test
    void logoutRevokesTheRefreshTokenAndDeniesTheAccessToken() {
        createUser("lou", "VIEWER");
        JsonNode session = login("lou", PASSWORD);
        String access = session.get("accessToken").asString();

        assertThat(api.send("POST", "/api/v1/auth/logout", access, null).statusCode()).isEqualTo(204);

        var afterLogout = api.send("GET", "/api/v1/agents", access, null);
        assertThat(afterLogout.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(afterLogout, "unauthenticated")).contains("revoked (logged out)");
        var refreshed = refresh(session.get("refreshToken").asString());
        assertThat(refreshed.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(refreshed, "invalid-refresh-token")).contains("revoked");
        assertThat(auditActions("lou")).contains("logout");
    }

    @Test
    void changingARoleOrDeletingAUserEndsTheirSessions() {
        createUser("cora", "OPERATOR");
        createUser("dan", "OPERATOR");
        String coraRefresh = login("cora", PASSWORD).get("refreshToken").asString();
        String danRefresh = login("dan", PASSWORD).get("refreshToken").asString();

        var changed = api.send("PUT", "/api/v1/users/cora/role", adminToken, "{\"role\":\"VIEWER\"}");
        var deleted = api.send("DELETE", "/api/v1/users/dan", adminToken, null);

        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(api.read(changed).get("role").asString()).isEqualTo("VIEWER");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(refresh(coraRefresh).statusCode()).isEqualTo(401);
        assertThat(refresh(danRefresh).statusCode()).isEqualTo(401);
        // After logging in again, cora's token carries her new role.
        assertThat(login("cora", PASSWORD).get("role").asString()).isEqualTo("VIEWER");
        assertThat(auditActions("admin")).contains("user.role-changed", "user.deleted");
    }

    @Test
    void unknownRefreshTokenIsRefusedWithAProblem() {
        var response = refresh("mamos_rt_never-issued");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(api.assertProblem(response, "invalid-refresh-token")).isEqualTo("the refresh token is unknown");
    }

    @Test
    void anAdminCannotChangeTheirOwnRole() {
        var response = api.send("PUT", "/api/v1/users/admin/role", adminToken, "{\"role\":\"VIEWER\"}");

        assertThat(response.statusCode()).isEqualTo(409);
        api.assertProblem(response, "cannot-change-own-role");
    }

    private JsonNode login(String username, String password) {
        var response = api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return api.read(response);
    }

    private HttpResponse<String> refresh(String refreshToken) {
        return api.send("POST", "/api/v1/auth/refresh", null, "{\"refreshToken\":\"" + refreshToken + "\"}");
    }

    private void createUser(String username, String role) {
        var response = api.send("POST", "/api/v1/users", adminToken,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private java.util.List<String> auditActions(String actor) {
        return jdbc.queryForList("SELECT action FROM audit_events WHERE actor = ?", String.class, actor);
    }
}
