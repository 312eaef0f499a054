package io.mamos.orchestrator.schedule;

import io.mamos.orchestrator.job.JobSubmission;
import io.mamos.orchestrator.policy.CommandPolicy;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recurring jobs: operators and admins write, every role reads (see the security configuration);
 * acting on one also needs the right to run its command.
 */
@RestController
@RequestMapping("/api/v1/schedules")
class ScheduleController {

    private final ScheduleService schedules;
    private final SchedulePreviews previews;

    ScheduleController(ScheduleService schedules, SchedulePreviews previews) {
        this.schedules = schedules;
        this.previews = previews;
    }

    /** The next firing times of a cron as Temporal computes them (UTC), or the 400 a create would answer. */
    @PostMapping("/preview")
    SchedulePreview preview(@Valid @RequestBody PreviewRequest request) {
        int count = request.count() == null ? 5 : request.count();
        return new SchedulePreview(request.cron().strip(), previews.nextFirings(request.cron(), count));
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    ScheduleView create(@Valid @RequestBody CreateScheduleRequest request, Authentication user) {
        return schedules.create(request.name(), request.cron(), request.job(), user.getName(),
                CommandPolicy.callerRole(user));
    }

    @GetMapping
    ScheduleList list() {
        return new ScheduleList(schedules.list());
    }

    @GetMapping("/{id}")
    ScheduleView get(@PathVariable String id) {
        return schedules.get(id);
    }

    @PostMapping("/{id}/pause")
    ScheduleView pause(@PathVariable String id, @Valid @RequestBody(required = false) PauseRequest request,
            Authentication user) {
        return schedules.pause(id, request == null ? null : request.note(), user.getName(),
                CommandPolicy.callerRole(user));
    }

    @PostMapping("/{id}/resume")
    ScheduleView resume(@PathVariable String id, Authentication user) {
        return schedules.resume(id, user.getName(), CommandPolicy.callerRole(user));
    }

    @PostMapping("/{id}/trigger")
    @ResponseStatus(HttpStatus.ACCEPTED)
    ScheduleView trigger(@PathVariable String id, Authentication user) {
        return schedules.trigger(id, user.getName(), CommandPolicy.callerRole(user));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String id, Authentication user) {
        schedules.delete(id, user.getName(), CommandPolicy.callerRole(user));
    }

    /**
     * @param cron 5 fields (minute hour day-of-month month day-of-week), as Temporal Schedules read them, in UTC
     */
    record CreateScheduleRequest(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 200) String cron,
            @NotNull @Valid JobSubmission job) {
    }

    /** @param count how many firings to list, 5 when absent */
    record PreviewRequest(@NotBlank @Size(max = 200) String cron, @Min(1) @Max(50) Integer count) {
    }

    /** @param nextFirings the next firing times, fewer than asked when the cron fires rarely (over four years) */
    record SchedulePreview(String cron, List<java.time.Instant> nextFirings) {
    }

    record PauseRequest(@Size(max = 500) String note) {
    }

    record ScheduleList(List<ScheduleView> items) {
    }
}
