package io.mamos.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * The orchestrator's REST API as {@code mamos} calls it: JSON in and out, errors turned into
 * {@link CliException}s from their problem details. Authenticated either by {@code MAMOS_TOKEN}
 * (an access token, used as it is) or by the session {@code mamos login} saved, whose access
 * token is refreshed shortly before it expires, and once more if the server answers 401.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** Refresh this long before the access token expires, so a request never starts with a dying one. */
    private static final long REFRESH_MARGIN_SECONDS = 30;

    private final HttpClient http;
    private final String base;
    private final String staticToken;
    private final Credentials credentials;
    private Credentials.Session session;

    private Api(String base, String staticToken, Credentials credentials, Credentials.Session session) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.base = base;
        this.staticToken = staticToken;
        this.credentials = credentials;
        this.session = session;
    }

    /** No credentials: for {@code login}. */
    static Api anonymous(String server) {
        return new Api(normalise(server), null, null, null);
    }

    /**
     * Credentials from the environment or the saved session. {@code server} (from {@code --server}
     * or {@code MAMOS_SERVER}) may be null: then the saved session's server is used.
     */
    static Api connect(String server, Map<String, String> env) {
        String token = env.get("MAMOS_TOKEN");
        Credentials credentials = Credentials.ofUser(env);
        if (token != null && !token.isBlank()) {
            String target = server != null ? server
                    : credentials.read().map(Credentials.Session::server).orElse(Mamos.DEFAULT_SERVER);
            return new Api(normalise(target), token.strip(), null, null);
        }
        Credentials.Session saved = credentials.read().orElseThrow(() -> new CliException(CliExit.UNAUTHENTICATED,
                "not logged in: run `mamos login` (or set MAMOS_TOKEN)"));
        if (server != null && !normalise(server).equals(normalise(saved.server()))) {
            throw new CliException(CliExit.UNAUTHENTICATED, "logged in to " + saved.server() + ", not " + server
                    + ": run `mamos login --server " + server + "` (or set MAMOS_TOKEN)");
        }
        return new Api(normalise(saved.server()), null, credentials, saved);
    }

    static String normalise(String server) {
        String trimmed = server.strip().replaceAll("/+$", "");
        return trimmed.contains("://") ? trimmed : "http://" + trimmed;
    }

    String server() {
        return base;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** Logs in with a user's password and saves the session. */
    Credentials.Session login(String username, char[] password, Credentials into) {
        JsonNode answer = exchange("POST", "/api/v1/auth/token",
                Map.of("username", username, "password", new String(password)), null);
        Credentials.Session saved = sessionOf(answer);
        into.write(saved);
        return saved;
    }

    /** Ends the saved session on the server (its refresh tokens revoked, its access token denied). */
    void logout() {
        post("/api/v1/auth/logout", null);
    }

    private JsonNode send(String method, String path, Object body) {
        String token = accessToken(false);
        try {
            return exchange(method, path, body, token);
        } catch (CliException e) {
            if (e.exitCode() != CliExit.UNAUTHENTICATED || session == null) {
                throw e;
            }
            // The access token was refused before its time (a restart with new keys, a revocation):
            // one refresh tells a dead session from a dead token.
            return exchange(method, path, body, accessToken(true));
        }
    }

    /** A valid access token for the request, refreshing the saved session when it is due. */
    String accessToken(boolean force) {
        if (staticToken != null) {
            return staticToken;
        }
        if (session == null) {
            return null;
        }
        if (!force && session.accessTokenValidFor(REFRESH_MARGIN_SECONDS)) {
            return session.accessToken();
        }
        String used = session.accessToken();
        session = credentials.locked(() -> {
            // Another mamos may have refreshed meanwhile; its new tokens are in the file.
            Credentials.Session current = credentials.read().orElseThrow(() -> new CliException(
                    CliExit.UNAUTHENTICATED, "logged out meanwhile: run `mamos login`"));
            boolean refreshedByOther = current.accessToken() != null && !current.accessToken().equals(used);
            if (refreshedByOther && current.accessTokenValidFor(REFRESH_MARGIN_SECONDS)) {
                return current;
            }
            JsonNode answer = exchange("POST", "/api/v1/auth/refresh", Map.of("refreshToken", current.refreshToken()),
                    null);
            Credentials.Session next = sessionOf(answer);
            credentials.write(next);
            return next;
        });
        return session.accessToken();
    }

    private Credentials.Session sessionOf(JsonNode answer) {
        return new Credentials.Session(base, answer.path("username").asText(), answer.path("role").asText(null),
                answer.path("accessToken").asText(),
                Instant.now().getEpochSecond() + answer.path("expiresIn").asLong(),
                answer.path("refreshToken").asText(), answer.path("refreshTokenExpiresAt").asText(null));
    }

    private JsonNode exchange(String method, String path, Object body, String token) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Accept", "application/json, application/problem+json");
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw Problems.of(method, path, response.statusCode(), response.body());
            }
            String text = response.body();
            return text == null || text.isBlank() ? NullNode.getInstance() : JSON.readTree(text);
        } catch (IOException e) {
            String why = e instanceof java.net.ConnectException ? "connection refused"
                    : e instanceof java.net.http.HttpTimeoutException ? "no answer in time"
                    : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new CliException(CliExit.UNAVAILABLE, "cannot reach the orchestrator at " + base + ": " + why, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliExit.UNAVAILABLE, "interrupted while calling " + method + " " + path, e);
        } catch (IllegalArgumentException e) {
            throw new CliException(CliExit.USAGE, "not a usable server URL or path: " + base + path, e);
        }
    }

    HttpClient http() {
        return http;
    }
}
