package io.mamos.orchestrator.job;

import com.fasterxml.jackson.annotation.JsonIgnore;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;

/**
 * A job as asked for, through the API or by a schedule. Exactly one way of targeting is given:
 * {@code agentId} (one agent, the original form), or {@code targets} with explicit
 * {@code agentIds}, a label {@code selector}, or {@code all} online agents.
 *
 * @param concurrency        runs in flight at once: a count ({@code 5}) or a share of the targets
 *                           ({@code "20%"}); all at once when absent, but never more than 1,000 runs
 *                           in flight ({@code JobWorkflowImpl.MAX_RUNS_IN_FLIGHT}, below Temporal's
 *                           limit of 2,000 pending children)
 * @param maxFailures        once this many runs did not succeed (a count or a share) no further run
 *                           starts; no threshold when absent
 * @param offlineWaitSeconds how long each run waits for an offline agent before AGENT_OFFLINE
 * @param jobTimeoutSeconds  limit on the whole job; running runs are cancelled when it passes
 * @param retry              retry of runs lost to agent failure only; none when absent
 */
public record JobSubmission(
        @Size(max = 64) String agentId,
        @Valid Targets targets,
        @NotBlank @Size(max = 64) String command,
        @Size(max = 64) List<@Size(max = 4096) String> args,
        @Min(1) Long timeoutSeconds,
        Object concurrency,
        Object maxFailures,
        @Min(1) @Max(7 * 24 * 3600) Long offlineWaitSeconds,
        @Min(1) @Max(7 * 24 * 3600) Long jobTimeoutSeconds,
        @Valid Retry retry) {

    /** Checked with the other fields, so one 400 lists every problem. */
    @JsonIgnore
    @AssertTrue(message = "give exactly one of agentId, targets.agentIds, targets.selector or targets.all=true")
    public boolean isTargetGiven() {
        int forms = (agentId != null ? 1 : 0)
                + (targets != null && targets.agentIds() != null ? 1 : 0)
                + (targets != null && targets.selector() != null ? 1 : 0)
                + (targets != null && Boolean.TRUE.equals(targets.all()) ? 1 : 0);
        return forms == 1;
    }

    /** The original single-agent form. */
    public static JobSubmission onAgent(String agentId, String command, List<String> args, Long timeoutSeconds) {
        return new JobSubmission(agentId, null, command, args, timeoutSeconds, null, null, null, null, null);
    }

    /**
     * @param agentIds explicit agents, in the order runs start; they may be offline
     * @param selector labels of ONLINE agents, e.g. {@code env=prod,role in (web,api)}
     * @param all      every ONLINE agent
     */
    public record Targets(
            @Size(max = 5000) List<@NotBlank @Size(max = 64) String> agentIds,
            @Size(max = 1024) String selector,
            Boolean all) {
    }

    /**
     * @param maxAttempts    attempts in total (1 = no retry)
     * @param backoffSeconds wait before the second attempt, doubling after each further one
     */
    public record Retry(@Min(1) @Max(10) Integer maxAttempts, @Min(0) @Max(3600) Long backoffSeconds) {
    }
}
