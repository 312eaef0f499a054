package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.TaskQueues;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Someone who can reach Temporal, but is not the orchestrator, puts {@code RunCommand} tasks
 * straight onto the real agent's task queue, from a workflow of their own on a worker of their
 * own. Each task would create a marker file if it ran ({@code touch}, which the agent's allowlist
 * and the orchestrator's policy both permit). The agent must refuse every one of them for its
 * signature, start no process, and count the refusal; the same command sent genuinely through the
 * orchestrator does create its marker. Last, an agent whose config lost its pinned key refuses
 * even the orchestrator's genuine commands, and the job's error says to re-enroll.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ForgedCommandIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);
    private static final Path MARKERS = Metrics.markerFolder("forged-markers");

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent()
            .withOrchestratorEnv("MAMOS_POLICY_FILE", touchPolicy().toString())
            .withEnrollEnv("MAMOS_AGENT_ALLOW", "/usr/bin/echo,/usr/bin/touch");

    private static TemporalForger forger;

    @BeforeAll
    static void startTheForgersOwnWorker() {
        forger = new TemporalForger(mamos.temporal().target());
    }

    @AfterAll
    static void stopTheForgersWorker() {
        if (forger != null) {
            forger.close();
        }
    }

    @Test
    void genuineCommandThroughTheOrchestratorCreatesItsMarker() {
        Path marker = MARKERS.resolve("genuine");

        JsonNode job = runGenuineTouch(marker);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(marker).exists();
    }

    @Test
    void unsignedTaskIsRefusedAndRunsNothing() {
        Path marker = MARKERS.resolve("unsigned");
        long now = System.currentTimeMillis();
        CommandInvocation unsigned = touch(marker, mamos.agentId()).signed(now, now + 60_000,
                UUID.randomUUID().toString(), null);

        assertRefusedAndNothingRan(unsigned, "unsigned", "command signature missing", marker);
    }

    @Test
    void taskSignedWithAnotherKeyIsRefusedAndRunsNothing() throws GeneralSecurityException {
        Path marker = MARKERS.resolve("other-key");
        PrivateKey forgersKey = KeyPairGenerator.getInstance(CommandSignatures.ALGORITHM).generateKeyPair()
                .getPrivate();

        assertRefusedAndNothingRan(sign(touch(marker, mamos.agentId()), forgersKey, 0, 60), "bad_signature",
                "command signature invalid", marker);
    }

    @Test
    void capturedGenuineTaskWithItsArgumentsChangedIsRefused() {
        CommandInvocation captured = capturedInvocation(runGenuineTouch(MARKERS.resolve("captured-for-tamper")));
        Path marker = MARKERS.resolve("tampered");
        CommandInvocation tampered = new CommandInvocation(captured.jobId(), captured.agentId(), captured.attempt(),
                new CommandSpec("touch", "/usr/bin/touch", List.of(marker.toString())), captured.timeoutSeconds(),
                captured.maxOutputBytes(), captured.issuedAtMillis(), captured.expiresAtMillis(),
                UUID.randomUUID().toString(), captured.signature());

        assertRefusedAndNothingRan(tampered, "bad_signature", "command signature invalid", marker);
    }

    @Test
    void replayOfAGenuineTaskCapturedFromHistoryIsRefusedAndRunsNothing() throws IOException {
        Path marker = MARKERS.resolve("replayed");
        CommandInvocation captured = capturedInvocation(runGenuineTouch(marker));
        assertThat(captured.signature()).as("the orchestrator signed it").isNotBlank();
        Files.delete(marker);

        assertRefusedAndNothingRan(captured, "replay", "command signature replayed", marker);
    }

    @Test
    void expiredTaskIsRefusedEvenWithTheOrchestratorsOwnSignature() {
        Path marker = MARKERS.resolve("expired");
        // As if captured long ago: issued ten minutes back, expired five minutes back (beyond the 30 s skew).
        CommandInvocation expired = sign(touch(marker, mamos.agentId()), orchestratorKey(), -600, -300);

        assertRefusedAndNothingRan(expired, "expired", "command signature expired", marker);
    }

    @Test
    void taskAddressedToAnotherAgentIsRefusedEvenWithTheOrchestratorsOwnSignature() {
        Path marker = MARKERS.resolve("other-agent");
        CommandInvocation forOther = sign(touch(marker, "some-other-agent"), orchestratorKey(), 0, 60);

        assertRefusedAndNothingRan(forOther, "wrong_agent", "command signature is for agent some-other-agent",
                marker);
    }

    @Test
    void askingForAFinishedJobsResultUnderItsWorkflowIdIsRefusedWithoutTheTicketOfThatVeryRun() {
        // The agent keeps a finished command's result a while for its workflow to collect: a forger
        // who takes the ended job's workflow id must not collect it, nor make the agent give it up.
        JsonNode job = runGenuineTouch(MARKERS.resolve("asked-about"));
        String workflowId = job.path("workflowId").asString();
        String genuineRun = forger.runId(workflowId);
        String queue = TaskQueues.forAgent(mamos.agentId());
        long now = System.currentTimeMillis();
        // Even the orchestrator's own signature on a ticket for the job's genuine run: another run asks.
        AwaitTicket forGenuineRun = new AwaitTicket(job.path("id").asString(), mamos.agentId(), 1, workflowId,
                genuineRun, now, now + 60_000, null);
        forGenuineRun = forGenuineRun.signed(CommandSignatures.sign(forGenuineRun, orchestratorKey()));
        String before = agentMetrics();

        String unticketed = forger.ask(queue, workflowId, 1, null);
        String ticketed = forger.ask(queue, workflowId, 1, forGenuineRun);

        String after = agentMetrics();
        assertThat(unticketed).startsWith("CommandRefused: ").contains("await ticket missing");
        assertThat(ticketed).startsWith("CommandRefused: ").contains("another workflow run");
        assertThat(forger.runId(workflowId)).as("the forger's workflow took the id").isNotEqualTo(genuineRun);
        for (String reason : List.of("unsigned", "wrong_caller")) {
            assertThat(metric(after, "mamos_agent_commands_refused_total", "reason=\"" + reason + "\""))
                    .as(reason).isEqualTo(metric(before, "mamos_agent_commands_refused_total",
                            "reason=\"" + reason + "\"") + 1);
        }
        assertThat(metric(after, "mamos_agent_command_duration_seconds_count", ""))
                .as("processes started").isEqualTo(metric(before, "mamos_agent_command_duration_seconds_count", ""));
    }

    @Test
    @Order(Integer.MAX_VALUE) // last: it leaves the agent without its key
    void agentWithoutAPinnedKeyRefusesEvenGenuineCommandsAndTheJobSaysToReEnroll() throws IOException {
        mamos.agent().close();
        Path config = mamos.agentConfig();
        String withoutKey = Files.readAllLines(config).stream()
                .filter(line -> !line.startsWith("command.key="))
                .collect(Collectors.joining("\n", "", "\n"));
        assertThat(withoutKey).as("the config pinned a key").isNotEqualTo(Files.readString(config));
        Files.writeString(config, withoutKey);
        mamos.restartAgent();
        String queue = TaskQueues.forAgent(mamos.agentId());
        Poll.until("the restarted agent to poll " + queue, Duration.ofSeconds(90), () -> mamos.agentPolls(queue));
        Path marker = MARKERS.resolve("keyless");

        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "touch", List.of(marker.toString()), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("REFUSED");
        assertThat(job.path("error").asString()).contains("no pinned orchestrator key").contains("re-enroll");
        assertThat(marker).doesNotExist();
        assertThat(metric(agentMetrics(), "mamos_agent_commands_refused_total", "reason=\"no_key\""))
                .isEqualTo(1);
    }

    /** Delivers the task, then checks the refusal, the marker and the agent's own counters. */
    private static void assertRefusedAndNothingRan(CommandInvocation forged, String reason, String message,
            Path marker) {
        String metricsBefore = agentMetrics();

        String outcome = deliver(forged);

        String metricsAfter = agentMetrics();
        assertThat(outcome).startsWith("CommandRefused: ").contains(message);
        assertThat(marker).as("marker of a forged task").doesNotExist();
        assertThat(metric(metricsAfter, "mamos_agent_commands_refused_total", "reason=\"" + reason + "\""))
                .isEqualTo(metric(metricsBefore, "mamos_agent_commands_refused_total", "reason=\"" + reason + "\"")
                        + 1);
        // The duration timer records every command the agent started a process for.
        assertThat(metric(metricsAfter, "mamos_agent_command_duration_seconds_count", ""))
                .as("processes started").isEqualTo(metric(metricsBefore, "mamos_agent_command_duration_seconds_count",
                        ""));
    }

    private static JsonNode runGenuineTouch(Path marker) {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "touch", List.of(marker.toString()), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("genuine job %s", job).isEqualTo("SUCCEEDED");
        return job;
    }

    private static CommandInvocation capturedInvocation(JsonNode job) {
        return forger.capturedInvocation(job.path("workflowId").asString());
    }

    private static String deliver(CommandInvocation forged) {
        return forger.deliver(TaskQueues.forAgent(mamos.agentId()), forged);
    }

    private static CommandInvocation touch(Path marker, String agentId) {
        return CommandInvocation.unsigned("forged-" + UUID.randomUUID(), agentId, 1,
                new CommandSpec("touch", "/usr/bin/touch", List.of(marker.toString())), 30, 4096);
    }

    private static CommandInvocation sign(CommandInvocation unsigned, PrivateKey key, long issuedInSeconds,
            long expiresInSeconds) {
        long now = System.currentTimeMillis();
        CommandInvocation stamped = unsigned.signed(now + issuedInSeconds * 1000, now + expiresInSeconds * 1000,
                UUID.randomUUID().toString(), null);
        return stamped.signed(stamped.issuedAtMillis(), stamped.expiresAtMillis(), stamped.nonce(),
                CommandSignatures.sign(stamped, key));
    }

    /** The orchestrator's private key from its data folder: how a genuinely signed but stale task is made. */
    private static PrivateKey orchestratorKey() {
        try {
            String pem = Files.readString(mamos.orchestratorDataDir().resolve("command-signing-key.pem"));
            Matcher block = Pattern.compile("-----BEGIN PRIVATE KEY-----([^-]+)-----END PRIVATE KEY-----")
                    .matcher(pem);
            assertThat(block.find()).as("a PRIVATE KEY block in the orchestrator's key file").isTrue();
            return KeyFactory.getInstance(CommandSignatures.ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(block.group(1))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String agentMetrics() {
        return Metrics.scrape(mamos.agent().metricsUrl());
    }

    private static double metric(String exposition, String name, String labelFragment) {
        return Metrics.sum(exposition, name, labelFragment);
    }

    /** The orchestrator's policy for this test: touch, limited to the marker folder. */
    private static Path touchPolicy() {
        return MarkerPolicy.write(MARKERS, "");
    }
}
