package io.mamos.orchestrator.schedule;

/** A schedule was created, paused, resumed, triggered or deleted. */
public record ScheduleChanged(String scheduleId) {
}
