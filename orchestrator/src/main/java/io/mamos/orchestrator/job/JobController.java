package io.mamos.orchestrator.job;

import io.mamos.orchestrator.policy.CommandPolicy;
import io.mamos.orchestrator.web.InvalidRequestException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import io.mamos.workflows.JobState;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/jobs")
@Validated
class JobController {

    private final JobService jobs;

    JobController(JobService jobs) {
        this.jobs = jobs;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobView submit(@Valid @RequestBody JobSubmission request, Authentication user,
            @RequestHeader(value = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7E]{1,200}")) {
            throw new InvalidRequestException("Idempotency-Key must be 1 to 200 visible ASCII characters");
        }
        return jobs.submit(request, user.getName(), CommandPolicy.callerRole(user), idempotencyKey);
    }

    /**
     * Takes exactly the body of {@code POST /api/v1/jobs} and answers what that call would do, or
     * the problem it would answer, without recording or starting anything.
     */
    @PostMapping("/dry-run")
    JobDryRun dryRun(@Valid @RequestBody JobSubmission request, Authentication user) {
        return jobs.dryRun(request, CommandPolicy.callerRole(user));
    }

    @GetMapping("/{id}")
    JobView get(@PathVariable String id) {
        return jobs.get(id);
    }

    @GetMapping
    JobPage list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(200) int size) {
        var result = jobs.list(page, size);
        return new JobPage(result.getContent(), page, size, result.getTotalElements());
    }

    /** The job's runs in target order; {@code state} keeps only runs in that state. */
    @GetMapping("/{id}/runs")
    JobService.RunPage runs(@PathVariable String id, @RequestParam(required = false) JobState state,
            @RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int size) {
        return jobs.runs(id, state, page, size);
    }

    @PostMapping("/{id}/cancel")
    @ResponseStatus(HttpStatus.ACCEPTED)
    JobView cancel(@PathVariable String id, Authentication user) {
        return jobs.cancel(id, user.getName());
    }

    record JobPage(List<JobView> items, int page, int size, long total) {
    }
}
