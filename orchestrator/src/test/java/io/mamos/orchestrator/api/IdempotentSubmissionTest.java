package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitting a job when Temporal's answer to the start is lost (a deadline after Temporal
 * accepted it): the client hears 503 within seconds, the job stays recorded, and a retry with the
 * same {@code Idempotency-Key} returns that job — exactly one job and one workflow. Real SQLite,
 * real Temporal gRPC endpoint; the answers are dropped by a gRPC interceptor on the orchestrator's
 * connection, after the server handled the call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class IdempotentSubmissionTest {

    private static final TestBackends BACKENDS = TestBackends.start("mamos-idempotent-test");
    /** While set, every StartWorkflowExecution reaches Temporal but its answer is replaced by a deadline. */
    private static final AtomicBoolean LOSE_START_ANSWERS = new AtomicBoolean();
    private static final AtomicInteger STARTS_REACHING_TEMPORAL = new AtomicInteger();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("mamos.temporal.start-timeout", () -> "3s");
        registry.add("mamos.jobs.reconcile-interval", () -> "1h");
    }

    @TestConfiguration
    static class LosingAnswers {
        @Bean
        ClientInterceptor startAnswersLost() {
            return new ClientInterceptor() {
                @Override
                public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                        Channel next) {
                    if (!method.getFullMethodName().endsWith("/StartWorkflowExecution") || !LOSE_START_ANSWERS.get()) {
                        return next.newCall(method, options);
                    }
                    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                        @Override
                        public void start(Listener<R> listener, Metadata headers) {
                            super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                                @Override
                                public void onMessage(R message) {
                                    // Temporal answered; the answer never arrives.
                                }

                                @Override
                                public void onClose(Status status, Metadata trailers) {
                                    STARTS_REACHING_TEMPORAL.incrementAndGet();
                                    super.onClose(Status.DEADLINE_EXCEEDED.withDescription("answer lost (test)"),
                                            trailers);
                                }
                            }, headers);
                        }
                    };
                }
            };
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

    private final HttpClient http = HttpClient.newHttpClient();
    private TestApi api;
    private String adminToken;
    private String agentId;

    @BeforeEach
    void setUp() throws Exception {
        api = new TestApi(port, json, BACKENDS);
        String password = Files.readString(BACKENDS.dataDir().resolve("admin-password")).strip();
        adminToken = api.read(api.send("POST", "/api/v1/auth/token", null,
                "{\"username\":\"admin\",\"password\":\"" + password + "\"}")).get("accessToken").asString();
        agentId = api.enrollAgent(adminToken, "idempotent-" + System.nanoTime()).get("agentId").asString();
    }

    @AfterEach
    void answersArriveAgain() {
        LOSE_START_ANSWERS.set(false);
    }

    @Test
    void startWhoseAnswerIsLostAfterTemporalAcceptedItLeavesExactlyOneJob() throws Exception {
        long jobsBefore = total();
        LOSE_START_ANSWERS.set(true);

        long began = System.nanoTime();
        HttpResponse<String> first = submit("retry-me-1");
        long tookMillis = (System.nanoTime() - began) / 1_000_000;

        assertThat(first.statusCode()).as("first answer: %s", first.body()).isEqualTo(503);
        api.assertProblem(first, "temporal-unavailable");
        // The start timeout is 3 s here; the margin is for a loaded machine.
        assertThat(tookMillis).isLessThan(15_000);
        assertThat(STARTS_REACHING_TEMPORAL.get()).isPositive();

        LOSE_START_ANSWERS.set(false);
        HttpResponse<String> retry = submit("retry-me-1");

        assertThat(retry.statusCode()).as("retry: %s", retry.body()).isEqualTo(202);
        String jobId = api.read(retry).path("id").asString();
        assertThat(first.body()).contains(jobId);
        assertThat(total()).isEqualTo(jobsBefore + 1);
        assertThat(api.workflowIds()).filteredOn(id -> id.contains(jobId)).containsExactly("job-" + jobId);
    }

    @Test
    void retryWithTheSameKeyReturnsTheFirstJob() throws Exception {
        long jobsBefore = total();

        HttpResponse<String> first = submit("once-2");
        HttpResponse<String> again = submit("once-2");

        assertThat(first.statusCode()).as("first: %s", first.body()).isEqualTo(202);
        assertThat(again.statusCode()).as("again: %s", again.body()).isEqualTo(202);
        assertThat(api.read(again).path("id").asString()).isEqualTo(api.read(first).path("id").asString());
        assertThat(total()).isEqualTo(jobsBefore + 1);
    }

    @Test
    void malformedIdempotencyKeyIsRefused() throws Exception {
        long jobsBefore = total();

        HttpResponse<String> response = submit("x".repeat(201));

        assertThat(response.statusCode()).isEqualTo(400);
        api.assertProblem(response, "invalid-request");
        assertThat(total()).isEqualTo(jobsBefore);
    }

    private HttpResponse<String> submit(String idempotencyKey) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/v1/jobs"))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"agentId\":\"" + agentId + "\",\"command\":\"echo\",\"args\":[\"hi\"],\"timeoutSeconds\":30}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private long total() {
        JsonNode page = api.read(api.send("GET", "/api/v1/jobs?page=0&size=1", adminToken, null));
        return page.path("total").asLong();
    }
}
