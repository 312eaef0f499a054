package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.AgentLivenessWorkflowImpl;
import io.mamos.workflows.JobWorkflowImpl;
import io.mamos.workflows.RunWorkflowImpl;
import io.mamos.workflows.ScheduledJobWorkflowImpl;
import io.mamos.workflows.TaskQueues;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An upgrade with jobs in flight, from the release {@value #FROM} to this build, on one data
 * folder and one Temporal: the old orchestrator and two old agents start a single command, a
 * fan-out, a one-at-a-time fan-out and a long command; the orchestrator is replaced mid-job (the
 * agents keep running their commands), then each agent in turn, the first between two commands
 * of a job, the second with the long command still running. Every run ends once, as it really
 * ended: the commands the agents were left to finish SUCCEEDED, the one whose agent was stopped
 * under it ended AGENT_LOST with its process killed. The job workflows the old orchestrator
 * started go on, and end, on the new workflow code: their histories replay on it.
 */
class UpgradeIT {

    /** The release the upgrade starts from. */
    static final String FROM = "v0.2.0";

    private static final Duration AGENT_READY = Duration.ofSeconds(90);
    private static final Duration JOB_END = Duration.ofSeconds(150);
    /** Long enough to be running when the orchestrator is stopped, short enough for a test. */
    private static final String SHORT_SLEEP = "20";
    /** Outlasts the whole test: this command ends only because its agent is stopped under it. */
    private static final String LONG_SLEEP = "611";
    private static final Pattern RUNNING = Pattern.compile(" job (\\S+) running ");
    private static final DateTimeFormatter FOLDER_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private Path dir;
    private TemporalDevServer temporal;
    private OrchestratorProcess orchestrator;
    private final List<Agent> agents = new ArrayList<>();

    /** An agent of this test: its name, id, config and log stay; its process is replaced. */
    private static final class Agent {
        final String name;
        final Path config;
        final Path log;
        String id;
        AgentProcess process;

        Agent(String name, Path dir) {
            this.name = name;
            this.config = dir.resolve(name).resolve("agent.properties");
            this.log = dir.resolve(name + ".log");
        }
    }

    @Test
    void jobsInFlightAcrossAnUpgradeFromTheReleaseEndOnceWithTheirRealResults() throws Exception {
        dir = Path.of(System.getProperty("mamos.e2e.dir", "target/e2e")).toAbsolutePath()
                .resolve(UpgradeIT.class.getSimpleName() + "-" + LocalDateTime.now().format(FOLDER_TIME));
        Files.createDirectories(dir);
        System.err.println("[e2e] UpgradeIT: processes, data and logs in " + dir);
        try {
            upgradeWithJobsInFlight();
        } catch (Exception | Error e) {
            printLogTails();
            throw e;
        }
    }

    private void upgradeWithJobsInFlight() throws Exception {
        Jars.Release old = Jars.release(FROM, dir.resolve("build-release.log"));
        temporal = TemporalDevServer.start(dir);
        orchestrator = OrchestratorProcess.start(old.orchestrator(), dir, temporal.target(), Map.of());
        ApiClient api = orchestrator.anonymousApi().loggedIn(orchestrator.adminPassword());
        Agent a = enrollAndStart(old.agent(), api, "upgrade-a");
        Agent b = enrollAndStart(old.agent(), api, "upgrade-b");
        awaitOnline(api, 2);

        // Started by the release's orchestrator, run by the release's agents.
        String single = submit(api, List.of(a.id), "sleep", SHORT_SLEEP, Map.of());
        String fanOut = submit(api, List.of(a.id, b.id), "sleep", SHORT_SLEEP, Map.of());
        String oneAtATime = submit(api, List.of(a.id, b.id), "sleep", SHORT_SLEEP, Map.of("concurrency", 1));
        String cutShort = submit(api, List.of(b.id), "sleep", LONG_SLEEP, Map.of("timeoutSeconds", 900));
        ApiClient before = api;
        Poll.until("every first run RUNNING on the release's agents", AGENT_READY, () ->
                running(before, single) == 1 && running(before, fanOut) == 2 && running(before, oneAtATime) == 1
                        && running(before, cutShort) == 1);

        // The orchestrator first, its commands running on: the workflows go on on the new code.
        orchestrator.replaceWith(Jars.orchestrator());
        api = orchestrator.anonymousApi().loggedIn(orchestrator.adminPassword());

        assertSucceeded(api, single, 1);
        assertSucceeded(api, fanOut, 2);
        ApiClient after = api;
        // Its second run, dispatched by the new orchestrator to the release's agent b.
        Poll.until("the one-at-a-time job's run on " + b.name + " RUNNING", JOB_END, () -> after.runs(oneAtATime)
                .stream().anyMatch(run -> run.path("agentId").asString().equals(b.id)
                        && run.path("state").asString().equals("RUNNING")));

        // Agent a between two commands of that job: it has none running.
        replace(a, Jars.agent());
        assertSucceeded(api, oneAtATime, 2);

        // Agent b with a command running: the agent kills it and reports the stop.
        replace(b, Jars.agent());
        JsonNode lost = api.awaitJobEnd(cutShort, JOB_END);
        assertThat(lost.path("state").asString()).as("job %s", lost).isEqualTo("AGENT_LOST");
        JsonNode lostRun = api.runs(cutShort).get(0);
        assertThat(lostRun.path("state").asString()).isEqualTo("AGENT_LOST");
        assertThat(lostRun.path("error").asString()).contains("the agent shut down while the command ran");
        assertThat(sleepsOf(LONG_SLEEP)).as("the long command's process after its agent stopped").isEmpty();

        // The upgraded agents run new jobs of the upgraded orchestrator.
        awaitOnline(api, 2);
        String afterwards = submit(api, List.of(a.id, b.id), "echo", "upgraded", Map.of());
        assertSucceeded(api, afterwards, 2);
        assertThat(api.runs(afterwards)).allSatisfy(run ->
                assertThat(run.path("stdout").asString()).isEqualTo("upgraded\n"));

        // Every run ran once: one start in its agent's log (across both of its processes), one
        // row in the store, attempt 1.
        Map<String, List<String>> runsByJob = new LinkedHashMap<>();
        runsByJob.put(single, List.of(a.id));
        runsByJob.put(fanOut, List.of(a.id, b.id));
        runsByJob.put(oneAtATime, List.of(a.id, b.id));
        runsByJob.put(cutShort, List.of(b.id));
        runsByJob.put(afterwards, List.of(a.id, b.id));
        for (Map.Entry<String, List<String>> job : runsByJob.entrySet()) {
            for (Agent agent : List.of(a, b)) {
                long expected = job.getValue().contains(agent.id) ? 1 : 0;
                assertThat(startsIn(agent, job.getKey())).as("starts of job %s in %s's log", job.getKey(), agent.name)
                        .isEqualTo(expected);
            }
            assertThat(storedRuns(job.getKey())).as("store rows of job %s (agent, attempt)", job.getKey())
                    .containsExactlyInAnyOrderElementsOf(job.getValue().stream().map(id -> id + "#1").toList());
        }
        assertThat(Files.readString(dir.resolve("orchestrator.log"), StandardCharsets.UTF_8))
                .as("the orchestrators' log").doesNotContainIgnoringCase("nondetermin");
        assertEveryHistoryReplaysOnThisBuild(runsByJob.keySet());
    }

    /**
     * Every workflow in Temporal (the jobs, their fan-out children, the agents' liveness sessions),
     * those the release's code began and this build's carried on among them, replays as a whole
     * on this build's workflow classes: the check WorkflowReplayTest makes on recorded histories, here on
     * histories the upgrade itself wrote.
     */
    private void assertEveryHistoryReplaysOnThisBuild(java.util.Set<String> jobIds) throws Exception {
        WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget(temporal.target()).build());
        try {
            WorkflowClient client = WorkflowClient.newInstance(service);
            List<String> replayed = new ArrayList<>();
            client.listExecutions("").forEach(execution -> {
                String workflowId = execution.getExecution().getWorkflowId();
                WorkflowExecutionHistory history = client.fetchHistory(workflowId, execution.getExecution().getRunId());
                try {
                    WorkflowReplayer.replayWorkflowExecution(history, JobWorkflowImpl.class, RunWorkflowImpl.class,
                            ScheduledJobWorkflowImpl.class, AgentLivenessWorkflowImpl.class);
                } catch (Exception e) {
                    throw new AssertionError("the history of " + workflowId + " does not replay on this build", e);
                }
                replayed.add(workflowId);
            });
            assertThat(replayed).as("replayed workflows")
                    .containsAll(jobIds.stream().map(id -> "job-" + id).toList())
                    .hasSizeGreaterThan(jobIds.size() + 2);
        } finally {
            service.shutdownNow();
        }
    }

    @AfterEach
    void stopAll() {
        List<AutoCloseable> running = new ArrayList<>();
        agents.forEach(agent -> running.add(agent.process));
        running.add(orchestrator);
        running.add(temporal);
        LoggedProcess.closeAll(running);
    }

    private Agent enrollAndStart(Path jar, ApiClient api, String name) throws IOException {
        Agent agent = new Agent(name, dir);
        Files.createDirectories(agent.config.getParent());
        int exit = AgentProcess.enroll(jar, dir, orchestrator.baseUrl(), api.createEnrollmentToken(), agent.config,
                List.of("--hostname", name), Map.of(), agent.log);
        assertThat(exit).as("`mamos-agent enroll` of %s (%s)", name, jar).isZero();
        String config = Files.readString(agent.config, StandardCharsets.UTF_8);
        List<String> ids = new ArrayList<>();
        api.get("/api/v1/agents").expect(200).path("items").forEach(candidate -> {
            String id = candidate.path("id").asString();
            if (!id.isEmpty() && config.contains(id)) {
                ids.add(id);
            }
        });
        assertThat(ids).as("agents whose id is in %s", agent.config).hasSize(1);
        agent.id = ids.get(0);
        agents.add(agent);
        start(agent, jar);
        return agent;
    }

    /** Stops the agent gracefully (SIGTERM), as an operator upgrading it would, and starts {@code jar} instead. */
    private void replace(Agent agent, Path jar) {
        agent.process.close();
        start(agent, jar);
    }

    private void start(Agent agent, Path jar) {
        AgentProcess process = AgentProcess.start(jar, dir, agent.config, agent.name, agent.log);
        agent.process = process;
        String taskQueue = TaskQueues.forAgent(agent.id);
        Poll.until(agent.name + " (" + jar + ") to poll " + taskQueue, AGENT_READY, () -> {
            if (!process.process().isAlive()) {
                throw new AssertionError(agent.name + " exited" + System.lineSeparator() + process.process().tail(60));
            }
            return process.pollingSince().isPresent();
        });
    }

    private static void awaitOnline(ApiClient api, int count) {
        Poll.until(count + " agents ONLINE", AGENT_READY,
                () -> api.get("/api/v1/agents?status=ONLINE").expect(200).path("items").size() == count);
    }

    private static String submit(ApiClient api, List<String> agentIds, String command, String arg,
            Map<String, Object> options) {
        Map<String, Object> body = new LinkedHashMap<>(options);
        body.put("targets", Map.of("agentIds", agentIds));
        body.put("command", command);
        body.put("args", List.of(arg));
        return api.post("/api/v1/jobs", body).expect(202).path("id").asString();
    }

    private static long running(ApiClient api, String jobId) {
        return api.runs(jobId).stream().filter(run -> run.path("state").asString().equals("RUNNING")).count();
    }

    private static void assertSucceeded(ApiClient api, String jobId, int runs) {
        JsonNode job = api.awaitJobEnd(jobId, JOB_END);
        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(api.runs(jobId)).as("runs of job %s", jobId).hasSize(runs).allSatisfy(run -> {
            assertThat(run.path("state").asString()).isEqualTo("SUCCEEDED");
            assertThat(run.path("exitCode").asInt()).isZero();
        });
    }

    /** How many times the agent's log (every process it ran as) says it started a command of the job. */
    private static long startsIn(Agent agent, String jobId) throws IOException {
        return Files.readString(agent.log, StandardCharsets.UTF_8).lines()
                .map(RUNNING::matcher)
                .filter(java.util.regex.Matcher::find)
                .filter(match -> match.group(1).contains(jobId))
                .count();
    }

    /** The job's rows in the store, each as agent id#attempt. */
    private List<String> storedRuns(String jobId) throws SQLException {
        String url = "jdbc:sqlite:" + dir.resolve("orchestrator").resolve("mamos.db") + "?open_mode=1";
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
                PreparedStatement select = connection.prepareStatement(
                        "SELECT agent_id, attempt FROM job_runs WHERE job_id = ?")) {
            select.setString(1, jobId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "#" + rs.getInt(2));
                }
            }
        }
        return rows;
    }

    /** Live {@code sleep SECONDS} processes (the test's own number of seconds: no one else's). */
    private static List<ProcessHandle> sleepsOf(String seconds) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().command().orElse("").endsWith("/sleep"))
                .filter(process -> List.of(process.info().arguments().orElse(new String[0])).equals(List.of(seconds)))
                .toList();
    }

    private void printLogTails() {
        StringBuilder out = new StringBuilder("[e2e] UpgradeIT failed; logs in " + dir).append(System.lineSeparator());
        out.append(LoggedProcess.tailOf("orchestrator", dir.resolve("orchestrator.log"), 80))
                .append(System.lineSeparator());
        for (Agent agent : agents) {
            out.append(LoggedProcess.tailOf(agent.name, agent.log, 40)).append(System.lineSeparator());
        }
        out.append(LoggedProcess.tailOf("temporal", dir.resolve("temporal.log"), 20)).append(System.lineSeparator());
        out.append(LoggedProcess.tailOf("build-release", dir.resolve("build-release.log"), 20));
        System.err.print(out);
    }
}
