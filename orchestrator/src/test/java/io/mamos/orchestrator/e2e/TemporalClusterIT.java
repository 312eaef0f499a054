package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.workflows.TaskQueues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * MAMOS on a real Temporal cluster instead of the dev server: the project's server build, its
 * persistence and visibility on PostgreSQL, one frontend, two history, two matching and one worker
 * process (scripts/temporal-cluster.sh), with the real orchestrator and a real agent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TemporalClusterIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);
    /** The orchestrator's own query for the liveness workflows it must not start again (AgentLiveness). */
    private static final String RUNNING_LIVENESS = "WorkflowType = 'AgentLivenessWorkflow' AND ExecutionStatus = 'Running'";

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent().onTemporalCluster();

    @Test
    @Order(1)
    void jobRunsOnTheAgentThroughTheCluster() {
        System.err.printf("[e2e] Temporal cluster started in %d ms%n", mamos.temporalCluster().lastStart().toMillis());
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of("hello cluster"), 30);

        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("stdout").asString()).isEqualTo("hello cluster\n");
        assertThat(job.path("exitCode").asInt(-1)).isZero();
        assertThat(mamos.temporalCluster().cli().workflowIds()).contains(TaskQueues.jobWorkflowId(jobId));
    }

    @Test
    @Order(2)
    void clustersVisibilityAnswersTheOrchestratorsLivenessQuery() {
        String liveness = TaskQueues.agentWorkflowId(mamos.agentId());

        List<String> running = Poll.until("the running liveness workflows to list " + liveness, Duration.ofSeconds(30),
                () -> mamos.temporalCluster().cli().workflowIds(RUNNING_LIVENESS), ids -> ids.contains(liveness));

        assertThat(running).allSatisfy(id -> assertThat(id).startsWith("agent-"));
        assertThat(mamos.temporalCluster().cli().workflowIds("WorkflowType = 'AgentLivenessWorkflow'"
                + " AND ExecutionStatus = 'Completed'")).doesNotContain(liveness);
    }

    @Test
    @Order(3)
    void jobSurvivesTheKillOfTheHistoryInstanceOwningItsShard() {
        TemporalCluster cluster = mamos.temporalCluster();
        // `vmstat 1 15`: a line a second, so the kill and the shard's move land mid-command.
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "vmstat", List.of("1", "15"), 120);
        JsonNode running = mamos.api().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofSeconds(30));
        assertThat(running.path("state").asString()).as("job before the kill: %s", running).isEqualTo("RUNNING");
        String workflowId = commandWorkflowId(jobId);
        int owner = Poll.until("the history instance owning the shard of " + workflowId, Duration.ofSeconds(30),
                () -> cluster.historyOwning(workflowId), Optional::isPresent).orElseThrow();

        Instant killed = Instant.now();
        cluster.killHistory(owner);

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(180));
        System.err.printf("[e2e] job %s ended %d ms after history-%d was killed; its shard now on history-%s%n", jobId,
                Duration.between(killed, Instant.now()).toMillis(), owner,
                cluster.historyOwning(workflowId).map(String::valueOf).orElse("?"));
        assertThat(job.path("state").asString()).as("job after the kill: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("exitCode").asInt(-1)).isZero();
        // vmstat's two header lines and its fifteen samples: the whole output, from the agent.
        assertThat(job.path("stdout").asString()).contains("procs").hasLineCount(17);
        assertThat(cluster.historyOwning(workflowId)).as("owner of %s's shard", workflowId).isNotEqualTo(Optional.of(owner));

        // The killed instance started again joins the cluster, and the cluster takes new work.
        cluster.startInstances();
        String after = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of("after the kill"), 30);
        JsonNode next = mamos.api().awaitJobEnd(after, JOB_END);
        assertThat(next.path("state").asString()).as("job after the restart: %s", next).isEqualTo("SUCCEEDED");
        assertThat(next.path("stdout").asString()).isEqualTo("after the kill\n");
    }

    /** The workflow that schedules the command on the agent: a run child when the job has one. */
    private static String commandWorkflowId(String jobId) {
        String run = TaskQueues.runWorkflowId(jobId, mamos.agentId());
        return mamos.temporalCluster().cli().workflowIds().contains(run) ? run : TaskQueues.jobWorkflowId(jobId);
    }
}
