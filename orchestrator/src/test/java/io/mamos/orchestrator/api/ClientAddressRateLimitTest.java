package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Behind the dashboard (a trusted proxy on 127.0.0.1 here) failed logins are counted per browser
 * address and per user name, so one person's bad passwords do not lock everyone out, and many
 * addresses aimed at one name are slowed without keeping its owner out.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mamos.http.trusted-proxies=127.0.0.1",
        "mamos.auth.failed-logins-per-minute=3",
        "mamos.auth.failed-logins-per-account-per-minute=3"})
class ClientAddressRateLimitTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-client-address-test");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void oneBrowsersFailedLoginsDoNotLockOutAnotherBrowserBehindTheSameProxy() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(login("203.0.113.1", "guess-" + i, "wrong").statusCode()).isEqualTo(401);
        }
        assertThat(login("203.0.113.1", "guess-3", "wrong").statusCode()).isEqualTo(429);

        assertThat(login("203.0.113.2", "guess-4", "wrong").statusCode()).isEqualTo(401);
    }

    @Test
    void forwardedForNamingAnotherTrustedHopIsReadUpToTheFirstUntrustedOne() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(login("198.51.100.9, 127.0.0.1", "hop-" + i, "wrong").statusCode()).isEqualTo(401);
        }

        assertThat(login("198.51.100.9", "hop-x", "wrong").statusCode()).isEqualTo(429);
    }

    @Test
    void guessesAtOneNameFromManyAddressesAreLimitedExceptFromAnAddressItSignedInFrom() throws Exception {
        assertThat(login("192.0.2.50", "admin", adminPassword()).statusCode()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
            assertThat(login("192.0.2." + (10 + i), "admin", "wrong").statusCode()).isEqualTo(401);
        }

        HttpResponse<String> fromNewAddress = login("192.0.2.20", "admin", adminPassword());
        HttpResponse<String> fromKnownAddress = login("192.0.2.50", "admin", adminPassword());

        assertThat(fromNewAddress.statusCode()).isEqualTo(429);
        assertThat(fromNewAddress.headers().firstValue("Retry-After")).isPresent();
        assertThat(fromNewAddress.body()).contains("user name");
        assertThat(fromKnownAddress.statusCode()).isEqualTo(200);
    }

    @Test
    void failedLoginForANameThatIsNoUserIsAuditedWithoutTheNameFromTheBrowsersAddress() throws Exception {
        assertThat(login("203.0.113.77", "hunter2-typed-as-name", "x").statusCode()).isEqualTo(401);

        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT actor, action, target, detail, source_ip FROM audit_events WHERE source_ip = ?",
                "203.0.113.77");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("action")).isEqualTo("login.failed");
            assertThat(row.get("actor")).isEqualTo("anonymous");
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM audit_events WHERE actor LIKE ? OR target LIKE ?"
                + " OR detail LIKE ?", Long.class, "%hunter2%", "%hunter2%", "%hunter2%")).isZero();
    }

    private String adminPassword() throws Exception {
        return Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
    }

    private HttpResponse<String> login(String forwardedFor, String username, String password) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", forwardedFor)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
