package io.mamos.orchestrator.schedule;

import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.temporal.client.schedules.ScheduleActionExecution;
import io.temporal.client.schedules.ScheduleActionExecutionStartWorkflow;
import io.temporal.client.schedules.ScheduleActionResult;
import io.temporal.client.schedules.ScheduleClient;
import io.temporal.client.schedules.ScheduleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells a schedule's real firings from a workflow anyone could start on the orchestrator's queue.
 * A cron firing is one the Temporal server's schedule lists among its own running or recent
 * actions (workflow id and run). A "trigger now" firing is started by the orchestrator, which
 * records its workflow id first; the first run to ask for its job binds it. (The search attribute
 * {@code TemporalScheduledById} does not tell them apart: the server accepts it from any client's
 * start request.)
 */
@Component
class PlannedFirings {

    /** The scheduler may list the action a moment after the firing's first workflow task runs. */
    private static final long LISTED_WAIT_MILLIS = 5_000;

    private final JdbcClient jdbc;
    private final ScheduleClient schedules;

    PlannedFirings(JdbcClient jdbc, ScheduleClient schedules) {
        this.jdbc = jdbc;
        this.schedules = schedules;
    }

    /** Before the orchestrator starts a firing itself. */
    void plan(String workflowId, String scheduleId) {
        jdbc.sql("INSERT INTO planned_firings (workflow_id, schedule_id, planned_at) VALUES (?, ?, ?)")
                .params(workflowId, scheduleId, System.currentTimeMillis()).update();
    }

    /** Throws unless the caller is a real firing of the schedule. */
    void check(Caller caller, String scheduleId) {
        Optional<String> plannedFor = jdbc.sql("SELECT schedule_id FROM planned_firings WHERE workflow_id = ?")
                .param(caller.workflowId()).query(String.class).optional();
        if (plannedFor.isPresent()) {
            checkPlanned(caller, scheduleId, plannedFor.get());
            return;
        }
        String temporalId = ScheduleService.temporalId(scheduleId);
        long deadline = System.currentTimeMillis() + LISTED_WAIT_MILLIS;
        while (!listedBySchedule(caller, temporalId)) {
            if (System.currentTimeMillis() > deadline) {
                throw new ForgedCallException(scheduleId, "workflow " + caller.workflowId() + " run "
                        + caller.runId() + " is not a firing of Temporal schedule " + temporalId);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private void checkPlanned(Caller caller, String scheduleId, String plannedFor) {
        if (!plannedFor.equals(scheduleId)) {
            throw new ForgedCallException(scheduleId, "firing " + caller.workflowId() + " was planned for schedule "
                    + plannedFor);
        }
        jdbc.sql("UPDATE planned_firings SET run_id = ? WHERE workflow_id = ? AND run_id IS NULL")
                .params(caller.runId(), caller.workflowId()).update();
        String bound = jdbc.sql("SELECT run_id FROM planned_firings WHERE workflow_id = ?")
                .param(caller.workflowId()).query(String.class).single();
        if (!bound.equals(caller.runId())) {
            throw new ForgedCallException(scheduleId, "firing " + caller.workflowId() + " already ran as run " + bound);
        }
    }

    private boolean listedBySchedule(Caller caller, String temporalId) {
        ScheduleInfo info;
        try {
            info = schedules.getHandle(temporalId).describe().getInfo();
        } catch (RuntimeException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof StatusRuntimeException status && status.getStatus().getCode() == Code.NOT_FOUND) {
                    throw new ForgedCallException(temporalId, "Temporal has no schedule " + temporalId);
                }
            }
            throw e;
        }
        List<ScheduleActionExecution> actions = new ArrayList<>(info.getRunningActions());
        info.getRecentActions().stream().map(ScheduleActionResult::getAction).forEach(actions::add);
        return actions.stream().anyMatch(action -> action instanceof ScheduleActionExecutionStartWorkflow start
                && start.getWorkflowId().equals(caller.workflowId())
                && start.getFirstExecutionRunId().equals(caller.runId()));
    }
}
