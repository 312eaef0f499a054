package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.Agent;
import io.mamos.orchestrator.agent.AgentRepository;
import io.mamos.orchestrator.agent.AgentService;
import io.mamos.orchestrator.agent.AgentStatus;
import io.mamos.orchestrator.agent.LabelSelector;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.policy.CommandPolicy;
import io.mamos.orchestrator.auth.Role;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.InvalidRequestException;
import io.mamos.orchestrator.web.NotFoundException;
import io.mamos.workflows.CommandSpec;
import io.mamos.workflows.RetrySpec;
import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Turns a {@link JobSubmission} into a {@link JobPlan}: checks the command against the policy,
 * resolves the targets to agents and the options to numbers. Throws a 4xx that names the field
 * for every bad input, before anything is written.
 */
@Component
class JobPlanner {

    private static final Pattern AMOUNT = Pattern.compile("(\\d{1,6})(%?)");
    /** A run's share of its job's history besides its command: ~760 bytes measured, rounded up. */
    static final long RUN_HISTORY_BYTES = 1_024;
    /** The converter Temporal writes workflow inputs with, so a command is counted as Temporal stores it. */
    private static final DataConverter COMMAND_SIZE = DataConverter.getDefaultInstance();

    private final CommandPolicy policy;
    private final AgentRepository agents;
    private final AgentService agentService;
    private final MamosProperties properties;

    JobPlanner(CommandPolicy policy, AgentRepository agents, AgentService agentService, MamosProperties properties) {
        this.policy = policy;
        this.agents = agents;
        this.agentService = agentService;
        this.properties = properties;
    }

    /** @param role the role the job runs with: the policy says which roles may run each command */
    JobPlan plan(JobSubmission submission, Role role) {
        CommandSpec spec = policy.resolve(submission.command(), submission.args(), role);
        long timeout = policy.timeoutSeconds(spec.name(), submission.timeoutSeconds(),
                properties.jobs().defaultTimeout().toSeconds());
        if (submission.concurrency() != null) {
            amount("concurrency", submission.concurrency(), 1);
        }
        if (submission.maxFailures() != null) {
            amount("maxFailures", submission.maxFailures(), 1);
        }
        List<Agent> targets = resolveTargets(submission);
        int count = targets.size();
        checkHistoryBudget(spec, count);
        int concurrency = submission.concurrency() == null ? count
                : Math.min(amount("concurrency", submission.concurrency(), count), count);
        int maxFailures = submission.maxFailures() == null ? 0
                : amount("maxFailures", submission.maxFailures(), count);
        long offlineWait = submission.offlineWaitSeconds() == null ? properties.jobs().agentWait().toSeconds()
                : submission.offlineWaitSeconds();
        long jobTimeout = submission.jobTimeoutSeconds() == null ? 0 : submission.jobTimeoutSeconds();
        RetrySpec retry = submission.retry() == null ? RetrySpec.NONE
                : new RetrySpec(submission.retry().maxAttempts() == null ? 1 : submission.retry().maxAttempts(),
                        submission.retry().backoffSeconds() == null ? 0 : submission.retry().backoffSeconds());
        return new JobPlan(submission, spec, timeout, targets, concurrency, maxFailures, offlineWait, jobTimeout, retry);
    }

    /**
     * Checks everything {@link #plan} checks except which agents the targets match now: a
     * schedule's selector may match agents that enroll later.
     */
    void validate(JobSubmission submission, Role role) {
        try {
            plan(submission, role);
        } catch (NoTargetsException noAgentYet) {
            // Targets are resolved at each firing.
        }
    }

    /** An agent's labels, as the selector matches them. */
    java.util.Map<String, String> labels(Agent agent) {
        return agentService.labels(agent);
    }

    private List<Agent> resolveTargets(JobSubmission submission) {
        JobSubmission.Targets targets = submission.targets();
        int forms = (submission.agentId() != null ? 1 : 0)
                + (targets != null && targets.agentIds() != null ? 1 : 0)
                + (targets != null && targets.selector() != null ? 1 : 0)
                + (targets != null && Boolean.TRUE.equals(targets.all()) ? 1 : 0);
        if (forms != 1) {
            throw new InvalidRequestException("give exactly one of agentId, targets.agentIds, targets.selector or"
                    + " targets.all=true (got " + forms + ")");
        }
        List<Agent> resolved;
        String asked;
        if (submission.agentId() != null) {
            resolved = explicit(List.of(submission.agentId()));
            asked = "agent " + submission.agentId();
        } else if (targets.agentIds() != null) {
            resolved = explicit(targets.agentIds());
            asked = "the listed agents";
        } else if (targets.selector() != null) {
            LabelSelector selector = LabelSelector.parse(targets.selector());
            resolved = agentService.online().stream()
                    .filter(agent -> selector.test(agentService.labels(agent))).toList();
            asked = "selector '" + selector + "'";
        } else {
            resolved = agentService.online();
            asked = "all online agents";
        }
        if (resolved.isEmpty()) {
            throw new NoTargetsException(asked + " matched no online agent");
        }
        int max = properties.jobs().maxTargets();
        if (resolved.size() > max) {
            throw new JobTooLargeException(asked + " resolved to " + resolved.size() + " agents; a job may target"
                    + " at most " + max + " (mamos.jobs.max-targets): split it into several jobs");
        }
        return resolved;
    }

    /**
     * A fan-out job's history holds every run's input, and so its command, once per target (about
     * {@link #RUN_HISTORY_BYTES} more per run with a short command, measured with 2,500 targets):
     * refused when that would pass {@code mamos.jobs.max-history-bytes}, below the 10 MB at which
     * Temporal starts warning about a history and far below the 50 MB at which it ends the workflow.
     */
    private void checkHistoryBudget(CommandSpec spec, int targets) {
        if (targets < 2) {
            return;
        }
        long commandBytes = COMMAND_SIZE.toPayload(spec).map(payload -> (long) payload.getData().size()).orElse(0L);
        long perRun = RUN_HISTORY_BYTES + commandBytes;
        long budget = properties.jobs().maxHistoryBytes().toBytes();
        if (perRun * targets > budget) {
            throw new JobTooLargeException("this job would write about " + perRun * targets + " bytes into its"
                    + " Temporal history (" + targets + " runs, each carrying the " + commandBytes + "-byte command),"
                    + " over mamos.jobs.max-history-bytes (" + budget + "): split it into jobs of at most "
                    + Math.max(1, budget / perRun) + " targets, or shorten the arguments");
        }
    }

    private List<Agent> explicit(List<String> ids) {
        if (ids.isEmpty()) {
            throw new InvalidRequestException("targets.agentIds is empty");
        }
        Set<String> seen = new HashSet<>();
        List<Agent> found = new ArrayList<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new InvalidRequestException("agent " + id + " is listed twice in targets.agentIds");
            }
            Agent agent = agents.findById(id).orElseThrow(() -> new NotFoundException("agent", id));
            if (agent.status() == AgentStatus.DECOMMISSIONED) {
                throw new ConflictException("agent-decommissioned", "Agent decommissioned",
                        "agent " + id + " is decommissioned and takes no jobs");
            }
            found.add(agent);
        }
        return found;
    }

    /** A count ({@code 5}, {@code "5"}) or a share of the targets ({@code "20%"}, rounded up), at least 1. */
    static int amount(String field, Object value, int targets) {
        String text = value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                ? String.valueOf(number.longValue()) : value instanceof String s ? s.strip() : null;
        Matcher matcher = text == null ? null : AMOUNT.matcher(text);
        if (matcher == null || !matcher.matches()) {
            throw new InvalidRequestException(field + " must be a whole number (5) or a percentage (\"20%\"), got "
                    + value);
        }
        long number = Long.parseLong(matcher.group(1));
        boolean percent = !matcher.group(2).isEmpty();
        if (number < 1 || (percent && number > 100)) {
            throw new InvalidRequestException(field + " must be at least 1" + (percent ? " and at most 100%" : "")
                    + ", got " + value);
        }
        if (!percent) {
            return (int) Math.min(number, Integer.MAX_VALUE);
        }
        return (int) Math.max(1, Math.ceil(targets * number / 100.0));
    }
}
