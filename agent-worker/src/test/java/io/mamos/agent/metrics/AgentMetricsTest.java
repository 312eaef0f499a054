package io.mamos.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.agent.execution.Allowlist;
import io.mamos.agent.execution.CommandActivitiesImpl;
import io.mamos.agent.execution.ProcessRunner;
import io.mamos.agent.execution.RunningCommands;
import io.mamos.agent.execution.TestOrchestratorKey;
import io.mamos.agent.system.SystemProbe;
import io.mamos.workflows.CommandActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentMetricsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private AgentMetrics metrics;
    private RunningCommands commands;
    private TestActivityEnvironment env;
    private URI endpoint;
    private final TestOrchestratorKey orchestrator = new TestOrchestratorKey();

    @BeforeEach
    void setUp() throws Exception {
        metrics = AgentMetrics.serve(new MetricsAddress("127.0.0.1", 0), "agent-7", "agent-host");
        commands = new RunningCommands(metrics.registry());
        metrics.monitor(new SystemProbe(commands::count, metrics.advertisedAddress()));
        endpoint = URI.create("http://" + metrics.advertisedAddress() + "/metrics");
        env = TestActivityEnvironment.newInstance();
        env.registerActivitiesImplementations(new CommandActivitiesImpl(orchestrator.verifier(),
                Allowlist.parse("/usr/bin/echo"), new ProcessRunner(workDir), commands));
    }

    @AfterEach
    void tearDown() {
        env.close();
        metrics.close();
    }

    @Test
    void servesTheAgentHostAndJvmSeriesTaggedWithTheAgentId() throws Exception {
        HttpResponse<String> response = get(endpoint);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(MetricsEndpoint.CONTENT_TYPE);
        assertThat(response.body()).contains(
                "mamos_agent_cpu_usage_ratio{agent_id=\"agent-7\"}",
                "mamos_agent_load1{agent_id=\"agent-7\"}",
                "mamos_agent_memory_used_bytes{agent_id=\"agent-7\"}",
                "mamos_agent_memory_total_bytes{agent_id=\"agent-7\"}",
                "mamos_agent_disk_used_bytes{agent_id=\"agent-7\",mount=\"",
                "mamos_agent_disk_total_bytes{agent_id=\"agent-7\",mount=\"",
                "mamos_agent_running_commands{agent_id=\"agent-7\"} 0",
                "mamos_agent_commands_total{agent_id=\"agent-7\",result=\"refused\"} 0",
                "mamos_agent_commands_refused_total{agent_id=\"agent-7\",reason=\"bad_signature\"} 0",
                "mamos_agent_commands_refused_total{agent_id=\"agent-7\",reason=\"replay\"} 0",
                "mamos_agent_command_duration_seconds_count{agent_id=\"agent-7\"} 0",
                "jvm_memory_used_bytes{agent_id=\"agent-7\",",
                "jvm_threads_live_threads{agent_id=\"agent-7\"}",
                "system_cpu_count{agent_id=\"agent-7\"}");
    }

    @Test
    void countsACommandThatSucceeded() throws Exception {
        CommandActivities activities = env.newActivityStub(CommandActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

        activities.runCommand(orchestrator.invocation("/usr/bin/echo", 10, "hi"));

        String body = get(endpoint).body();
        assertThat(body).contains(
                "mamos_agent_commands_total{agent_id=\"agent-7\",result=\"succeeded\"} 1.0",
                "mamos_agent_commands_total{agent_id=\"agent-7\",result=\"failed\"} 0.0",
                "mamos_agent_command_duration_seconds_count{agent_id=\"agent-7\"} 1",
                "mamos_agent_command_duration_seconds_bucket{agent_id=\"agent-7\",le=\"",
                "mamos_agent_running_commands{agent_id=\"agent-7\"} 0.0");
    }

    @Test
    void servesTemporalSdkTimersWithAFewFixedBuckets() throws Exception {
        // The reporter the SDK's metrics scope writes through, as AgentMetrics wires it.
        new MicrometerClientStatsReporter(metrics.registry()).reportTimer(
                "temporal_activity_schedule_to_start_latency", Map.of("activity_type", "RunCommand"),
                com.uber.m3.util.Duration.ofMillis(30));

        String body = get(endpoint).body();

        String series = "temporal_activity_schedule_to_start_latency_seconds_bucket{activity_type=\"RunCommand\","
                + "agent_id=\"agent-7\",";
        assertThat(body).contains(series + "le=\"0.025\"} 0", series + "le=\"0.05\"} 1", series + "le=\"+Inf\"} 1");
        assertThat(body.lines().filter(line -> line.startsWith(series))).hasSize(14);
    }

    @Test
    void servesOnlyGetOnTheMetricsPath() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> other = get(endpoint.resolve("/metricsx"));

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(other.statusCode()).isEqualTo(404);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
