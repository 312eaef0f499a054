package io.mamos.workflows;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A schedule's firing: record the job first (a local activity), then run it like any job. */
class ScheduledJobWorkflowTest {

    private static final CommandSpec UPTIME = new CommandSpec("uptime", "/usr/bin/uptime", List.of());

    private final RecordingJobStore store = new RecordingJobStore();
    private final ScriptedAgent agent = new ScriptedAgent();
    private final List<String> firings = new CopyOnWriteArrayList<>();
    private volatile boolean refuse;
    private TestWorkflowEnvironment env;

    @BeforeEach
    void startWorkers() {
        env = TestWorkflowEnvironment.newInstance();
        Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
        orchestrator.registerWorkflowImplementationTypes(ScheduledJobWorkflowImpl.class, RunWorkflowImpl.class);
        ScheduleActivities schedules = (scheduleId, workflowId, firedAtMillis) -> {
            firings.add(scheduleId + " " + workflowId);
            return refuse ? null : new JobRequest("job-of-" + workflowId, List.of(RunTarget.of("a1")), UPTIME, 30, 10,
                    10, 65_536, 0, 0, 0, null);
        };
        orchestrator.registerActivitiesImplementations(store, schedules);
        env.newWorker(TaskQueues.forAgent("a1")).registerActivitiesImplementations(agent);
        env.start();
    }

    @AfterEach
    void stopWorkers() {
        env.close();
    }

    @Test
    void firingRecordsItsJobThenRunsItOnTheResolvedAgents() {
        agent.willRun(invocation -> ScriptedAgent.exited(0, "up 3 days\n", ""));

        JobOutcome outcome = fire("scheduled-s1-2026-11-25T06:00:00Z").fire("s1");

        assertThat(firings).containsExactly("s1 scheduled-s1-2026-11-25T06:00:00Z");
        assertThat(outcome.state()).isEqualTo(JobState.SUCCEEDED);
        assertThat(outcome.jobId()).isEqualTo("job-of-scheduled-s1-2026-11-25T06:00:00Z");
        assertThat(store.runOutcome().stdout()).isEqualTo("up 3 days\n");
        assertThat(agent.invocations()).hasSize(1);
    }

    @Test
    void firingTheRecorderRefusedRunsNothing() {
        refuse = true;

        JobOutcome outcome = fire("scheduled-s2-2026-11-25T06:00:00Z").fire("s2");

        assertThat(outcome).isNull();
        assertThat(store.writes()).isEmpty();
        assertThat(agent.invocations()).isEmpty();
    }

    private ScheduledJobWorkflow fire(String workflowId) {
        return env.getWorkflowClient().newWorkflowStub(ScheduledJobWorkflow.class, WorkflowOptions.newBuilder()
                .setWorkflowId(workflowId).setTaskQueue(TaskQueues.ORCHESTRATOR).build());
    }
}
