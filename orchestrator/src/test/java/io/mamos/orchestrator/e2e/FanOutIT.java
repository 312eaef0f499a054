package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * One job on many real agent processes: three agents enrolled with tokens carrying different
 * labels; selectors, a batch of one, cancel mid-run, and a schedule, all through the REST API.
 */
class FanOutIT {

    private static final Duration JOB_END = Duration.ofSeconds(90);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withoutAgent();

    private static MamosStack.ExtraAgent web;
    private static MamosStack.ExtraAgent api;
    private static MamosStack.ExtraAgent devWeb;

    @BeforeAll
    static void startThreeLabelledAgents() throws Exception {
        web = mamos.startExtraAgent("prod-web", Map.of("env", "prod", "role", "web"));
        api = mamos.startExtraAgent("prod-api", Map.of("env", "prod", "role", "api"));
        devWeb = mamos.startExtraAgent("dev-web", Map.of("env", "dev", "role", "web"));
        Poll.until("all three agents ONLINE", Duration.ofSeconds(60), () -> {
            JsonNode agents = mamos.api().get("/api/v1/agents?status=ONLINE").expect(200).path("items");
            return agents.size() == 3;
        });
    }

    @Test
    void agentsCarryTheLabelsOfTheirEnrollmentTokens() {
        JsonNode agent = mamos.api().get("/api/v1/agents/" + api.id()).expect(200);

        assertThat(agent.path("labels").path("env").asString()).isEqualTo("prod");
        assertThat(agent.path("labels").path("role").asString()).isEqualTo("api");
    }

    @Test
    void selectorPicksExactlyTheMatchingAgents() {
        String jobId = submit(Map.of("selector", "env=prod,role in (web,api)"), "echo", List.of("fan"), Map.of());

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("runCount").asInt()).isEqualTo(2);
        assertThat(job.path("summary").path("SUCCEEDED").asInt()).isEqualTo(2);
        List<JsonNode> runs = mamos.api().runs(jobId);
        assertThat(runs).extracting(run -> run.path("agentId").asString())
                .containsExactlyInAnyOrder(web.id(), api.id());
        assertThat(runs).allSatisfy(run -> assertThat(run.path("stdout").asString()).isEqualTo("fan\n"));
    }

    @Test
    void batchOfOneRunsTheTargetsOneAfterTheOther() {
        List<String> order = List.of(devWeb.id(), web.id(), api.id());
        String jobId = submit(Map.of("agentIds", order), "sleep", List.of("2"), Map.of("concurrency", 1));

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        List<JsonNode> runs = mamos.api().runs(jobId);
        assertThat(runs).extracting(run -> run.path("agentId").asString()).containsExactlyElementsOf(order);
        for (int i = 1; i < runs.size(); i++) {
            Instant previousEnd = Instant.parse(runs.get(i - 1).path("finishedAt").asString());
            Instant start = Instant.parse(runs.get(i).path("startedAt").asString());
            assertThat(start).as("run %d started after run %d ended", i, i - 1).isAfterOrEqualTo(previousEnd);
        }
    }

    @Test
    void cancelKillsEveryRunningProcessKeepsPartialOutputAndEndsRunsCanceled() {
        // vmstat prints a line a second for two minutes.
        String jobId = submit(Map.of("selector", "env=prod"), "vmstat", List.of("1", "120"), Map.of());
        Poll.until("both runs RUNNING with output", Duration.ofSeconds(45), () -> mamos.api().runs(jobId).stream()
                .filter(run -> run.path("state").asString().equals("RUNNING")
                        && run.path("progress").path("outputBytes").asLong() > 0)
                .count() == 2);
        assertThat(vmstatProcesses(web)).as("vmstat under prod-web").isNotEmpty();
        assertThat(vmstatProcesses(api)).as("vmstat under prod-api").isNotEmpty();

        mamos.api().post("/api/v1/jobs/" + jobId + "/cancel", null).expect(202);

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(20));
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("CANCELED");
        Poll.until("the vmstat processes to be gone", Duration.ofSeconds(5),
                () -> vmstatProcesses(web).isEmpty() && vmstatProcesses(api).isEmpty());
        assertThat(mamos.api().runs(jobId)).allSatisfy(run -> {
            assertThat(run.path("state").asString()).isEqualTo("CANCELED");
            assertThat(run.path("stdout").asString()).as("partial output kept").contains("free");
        });
    }

    @Test
    void scheduleFiresJobsOnItsCronAndOnDemand() {
        Map<String, Object> body = Map.of("name", "prod uptime", "cron", "@every 10s",
                "job", Map.of("targets", Map.of("selector", "env=prod"), "command", "uptime"));
        String scheduleId = mamos.api().post("/api/v1/schedules", body).expect(201).path("id").asString();

        JsonNode fired = Poll.until("the schedule to fire a job", Duration.ofSeconds(60),
                () -> mamos.api().get("/api/v1/schedules/" + scheduleId).expect(200),
                schedule -> !schedule.path("recentJobIds").isEmpty());
        String jobId = fired.path("recentJobIds").get(0).asString();
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("scheduleId").asString()).isEqualTo(scheduleId);
        assertThat(job.path("createdBy").asString()).isEqualTo("schedule:prod uptime");
        assertThat(mamos.api().runs(jobId)).extracting(run -> run.path("agentId").asString())
                .containsExactlyInAnyOrder(web.id(), api.id());

        JsonNode paused = mamos.api().post("/api/v1/schedules/" + scheduleId + "/pause", Map.of("note", "e2e"))
                .expect(200);
        assertThat(paused.path("paused").asBoolean()).isTrue();
        // Paused, the cron fires nothing: a new newest job can only come from the trigger.
        String newestBefore = newestJob(scheduleId);
        mamos.api().post("/api/v1/schedules/" + scheduleId + "/trigger", null).expect(202);
        Poll.until("a triggered firing while paused", Duration.ofSeconds(30),
                () -> !newestJob(scheduleId).equals(newestBefore));

        // Every firing is one job: no job id twice, none replaced by a second run of its firing.
        List<JsonNode> jobs = new java.util.ArrayList<>();
        mamos.api().get("/api/v1/jobs?size=200").expect(200).path("items").forEach(jobs::add);
        List<String> fromSchedule = jobs.stream().filter(j -> scheduleId.equals(j.path("scheduleId").asString()))
                .map(j -> j.path("workflowId").asString()).toList();
        assertThat(fromSchedule).doesNotHaveDuplicates();
        assertThat(mamos.api().job(jobId).path("state").asString()).isEqualTo("SUCCEEDED");

        mamos.api().delete("/api/v1/schedules/" + scheduleId).expect(204);
        assertThat(mamos.api().get("/api/v1/schedules/" + scheduleId).status()).isEqualTo(404);
    }

    @Test
    void scheduleWithAnUnreadableCronIsRefusedAndNotKept() {
        long before = mamos.api().get("/api/v1/schedules").expect(200).path("items").size();
        Map<String, Object> body = Map.of("name", "broken", "cron", "every tuesday-ish",
                "job", Map.of("targets", Map.of("all", true), "command", "uptime"));

        ApiResponse refused = mamos.api().post("/api/v1/schedules", body);

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("detail").asString()).contains("cron");
        assertThat(mamos.api().get("/api/v1/schedules").expect(200).path("items").size()).isEqualTo(before);
    }

    @Test
    void cronPreviewListsTheNextFiringsTemporalComputesAndKeepsNoSchedule() {
        long before = mamos.api().get("/api/v1/schedules").expect(200).path("items").size();

        JsonNode preview = mamos.api().post("/api/v1/schedules/preview", Map.of("cron", "0 3 * * *", "count", 3))
                .expect(200);

        List<Instant> firings = preview.path("nextFirings").valueStream()
                .map(node -> Instant.parse(node.asString())).toList();
        assertThat(firings).hasSize(3);
        Instant now = Instant.now();
        for (int i = 0; i < firings.size(); i++) {
            var utc = firings.get(i).atZone(java.time.ZoneOffset.UTC);
            assertThat(utc.getHour()).isEqualTo(3);
            assertThat(utc.getMinute()).isZero();
            assertThat(firings.get(i)).isAfter(i == 0 ? now : firings.get(i - 1));
        }
        assertThat(firings.get(0)).isBefore(now.plus(java.time.Duration.ofDays(1)));
        assertThat(mamos.api().get("/api/v1/schedules").expect(200).path("items").size()).isEqualTo(before);
    }

    @Test
    void cronPreviewOfAnUnreadableCronIsRefusedAsCreatingTheScheduleWouldBe() {
        ApiResponse refused = mamos.api().post("/api/v1/schedules/preview", Map.of("cron", "every tuesday-ish"));

        assertThat(refused.status()).as("%s", refused).isEqualTo(400);
        assertThat(refused.isProblem()).isTrue();
        assertThat(refused.json().path("detail").asString()).contains("Temporal refused the schedule's cron");
    }

    private static String newestJob(String scheduleId) {
        return mamos.api().get("/api/v1/schedules/" + scheduleId).expect(200).path("recentJobIds").get(0).asString();
    }

    private static String submit(Map<String, Object> targets, String command, List<String> args,
            Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>(options);
        body.put("targets", targets);
        body.put("command", command);
        body.put("args", args);
        // No timeoutSeconds: each command gets the policy's default, capped by its own maximum.
        return mamos.api().post("/api/v1/jobs", body).expect(202).path("id").asString();
    }

    /** vmstat processes below the agent's process. */
    private static Set<Long> vmstatProcesses(MamosStack.ExtraAgent agent) {
        return ProcessHandle.of(agent.process().process().pid()).stream()
                .flatMap(ProcessHandle::descendants)
                .filter(child -> child.info().command().map(command -> command.endsWith("/vmstat")).orElse(false))
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
