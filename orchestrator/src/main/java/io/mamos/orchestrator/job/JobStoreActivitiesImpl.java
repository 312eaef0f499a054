package io.mamos.orchestrator.job;

import io.mamos.orchestrator.agent.Agent;
import io.mamos.orchestrator.agent.AgentRepository;
import io.mamos.orchestrator.agent.AgentStatus;
import io.mamos.orchestrator.caller.Caller;
import io.mamos.orchestrator.caller.Callers;
import io.mamos.orchestrator.caller.ForgedCallException;
import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.JobOutcome;
import io.mamos.workflows.JobState;
import io.mamos.workflows.JobStoreActivities;
import io.mamos.workflows.RetrySpec;
import io.mamos.workflows.RunOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Mirrors job and run state into the store and signs commands; runs as local activities in the
 * orchestrator's worker. Acts only for the workflow run the store planned the job or run for
 * ({@link PlannedRuns}); any other call is refused, audited and counted, and changes nothing.
 */
@Component
class JobStoreActivitiesImpl implements JobStoreActivities {

    /** How much longer than the run's wait for its agent a signed command stays valid (queueing, clock steps). */
    static final long SIGNATURE_SLACK_SECONDS = 30;

    private static final Logger log = LoggerFactory.getLogger(JobStoreActivitiesImpl.class);

    private final JobRepository jobs;
    private final RunStore runs;
    private final JobEvents events;
    private final JobMetrics metrics;
    private final CommandSigner signer;
    private final PlannedRuns planned;
    private final Callers callers;
    private final JobReconciler reconciler;
    private final AgentRepository agents;
    private final Clock clock = Clock.systemUTC();

    JobStoreActivitiesImpl(JobRepository jobs, RunStore runs, JobEvents events, JobMetrics metrics,
            CommandSigner signer, PlannedRuns planned, Callers callers, JobReconciler reconciler,
            AgentRepository agents) {
        this.reconciler = reconciler;
        this.agents = agents;
        this.signer = signer;
        this.jobs = jobs;
        this.runs = runs;
        this.events = events;
        this.metrics = metrics;
        this.planned = planned;
        this.callers = callers;
    }

    @Override
    public void runDispatched(String jobId, String agentId, int attempt, long atMillis) {
        checked(caller -> {
            PlannedRuns.PlannedJob job = planned.job(jobId);
            planned.checkRunCaller(caller, job, agentId);
            // The retry policy's attempts, and the resends of an attempt the agent never received.
            int highest = RetrySpec.highestAttempt(job.maxAttempts());
            if (attempt < 1 || attempt > highest) {
                throw new ForgedCallException(jobId, "attempt " + attempt + " of job " + jobId
                        + " was not planned (at most " + highest + ": " + job.maxAttempts() + " by its retry policy, "
                        + RetrySpec.MAX_RESENDS + " resends of a command its agent never received)");
            }
            boolean changed = runs.markDispatched(jobId, agentId, attempt, atMillis) == 1;
            changed |= jobs.markDispatched(jobId, atMillis) == 1;
            if (changed) {
                events.changed(jobId);
            }
            return null;
        });
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        checked(caller -> {
            planned.checkRunCaller(caller, planned.job(outcome.jobId()), outcome.agentId());
            if (runs.markFinished(outcome) == 0) {
                log.debug("job {} run on {}: end {} already recorded", outcome.jobId(), outcome.agentId(),
                        outcome.state());
                return null;
            }
            jobs.findById(outcome.jobId()).ifPresent(job -> metrics.runFinished(job, outcome));
            events.changed(outcome.jobId());
            return null;
        });
    }

    @Override
    public void runsNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis) {
        checked(caller -> {
            planned.checkJobCaller(caller, jobId);
            if (state != JobState.SKIPPED && state != JobState.CANCELED) {
                throw new ForgedCallException(jobId, "runs that never started end SKIPPED or CANCELED, not " + state);
            }
            if (runs.markNotStarted(jobId, agentIds, state, reason, atMillis) > 0) {
                events.changed(jobId);
            }
            return null;
        });
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        checked(caller -> {
            planned.checkJobCaller(caller, outcome.jobId());
            int rows = jobs.markFinished(outcome.jobId(), outcome.state().name(), outcome.error(),
                    outcome.finishedAtMillis());
            if (rows == 0) {
                log.debug("job {} end {} already recorded", outcome.jobId(), outcome.state());
                return null;
            }
            metrics.jobFinished(outcome.state());
            // A run whose own end was never written (a refused or failed final write) must not stay
            // RUNNING under an ended job: nothing else would ever end it.
            jobs.findById(outcome.jobId()).ifPresent(job -> {
                int ended = reconciler.endOpenRuns(job, JobState.FAILED, "the job ended without this run's end "
                        + "being recorded; its result is unknown", outcome.finishedAtMillis());
                if (ended > 0) {
                    log.warn("job {} ended {} with {} run(s) that recorded no end: ended them FAILED", outcome.jobId(),
                            outcome.state(), ended);
                }
            });
            events.changed(outcome.jobId());
            return null;
        });
    }

    /**
     * Signs exactly what the API checked and recorded for this run's dispatched attempt, once; the
     * workflow's {@code validForSeconds} is ignored: the invocation is valid for the run's planned
     * wait for its agent plus {@value #SIGNATURE_SLACK_SECONDS} s.
     */
    @Override
    public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
        return checked(caller -> sign(caller, unsigned));
    }

    /**
     * A run's unpicked command, signed again while its agent is online (busy) or offline for less
     * than the job's offline wait; never while the attempt's signature is still valid (then that
     * one is the answer), so at most one is valid at a time.
     */
    @Override
    public CommandInvocation resignForWaitingRun(CommandInvocation previous) {
        return checked(caller -> {
            PlannedRuns.PlannedJob job = planned.job(previous.jobId());
            PlannedRuns.PlannedRun run = planned.checkRunCaller(caller, job, previous.agentId());
            CommandInvocation exact = exactInvocation(job, previous);
            if (run.state() != JobState.DISPATCHED || run.attempt() != previous.attempt()
                    || run.signedAttempt() != previous.attempt() || run.signedNonce() == null) {
                throw new ForgedCallException(job.id(), "attempt " + previous.attempt() + " of job " + job.id()
                        + " on agent " + previous.agentId() + " is not a signed, dispatched attempt (the run is "
                        + run.state() + " at attempt " + run.attempt() + ")");
            }
            if (!agentWorthWaitingFor(previous.agentId(), job.offlineWaitSeconds())) {
                return null;
            }
            long now = clock.millis();
            if (now < run.signedExpiresAt()) {
                return signer.sign(exact, run.signedAt(), run.signedExpiresAt(), run.signedNonce());
            }
            CommandInvocation signed = signer.sign(exact, job.offlineWaitSeconds() + SIGNATURE_SLACK_SECONDS);
            if (!planned.recordResigned(job.id(), previous.agentId(), previous.attempt(), run.signedNonce(),
                    signed.nonce(), signed.issuedAtMillis(), signed.expiresAtMillis())) {
                throw new ForgedCallException(job.id(), "attempt " + previous.attempt() + " of job " + job.id()
                        + " on agent " + previous.agentId() + " was signed again meanwhile");
            }
            log.debug("job {} attempt {} on agent {}: not picked up while the agent is online; signed again",
                    job.id(), previous.attempt(), previous.agentId());
            return signed;
        });
    }

    /**
     * Leave to collect a signed, dispatched attempt's result from its agent, for the calling
     * workflow run only (the one the store bound to the run); refused for an attempt never signed or
     * a run that already ended, whose result is the store's to tell.
     */
    @Override
    public AwaitTicket awaitTicket(String jobId, String agentId, int attempt) {
        return checked(caller -> {
            PlannedRuns.PlannedJob job = planned.job(jobId);
            PlannedRuns.PlannedRun run = planned.checkRunCaller(caller, job, agentId);
            if (attempt < 1 || run.attempt() != attempt || run.signedAttempt() != attempt || run.signedNonce() == null
                    || (run.state() != JobState.DISPATCHED && run.state() != JobState.RUNNING)) {
                throw new ForgedCallException(job.id(), "attempt " + attempt + " of job " + job.id() + " on agent "
                        + agentId + " is not a signed attempt in flight (the run is " + run.state() + " at attempt "
                        + run.attempt() + ")");
            }
            return signer.signTicket(job.id(), agentId, attempt, caller.workflowId(), caller.runId(),
                    job.offlineWaitSeconds() + SIGNATURE_SLACK_SECONDS);
        });
    }

    /** Online (busy, perhaps), or not yet offline (or enrolled and silent) for the job's offline wait. */
    private boolean agentWorthWaitingFor(String agentId, long offlineWaitSeconds) {
        Agent agent = agents.findById(agentId).orElse(null);
        if (agent == null || agent.status() == AgentStatus.DECOMMISSIONED) {
            return false;
        }
        if (agent.status() == AgentStatus.ONLINE) {
            return true;
        }
        Instant silentSince = agent.status() == AgentStatus.OFFLINE && agent.wentOfflineAt() != null
                ? agent.wentOfflineAt() : agent.enrolledAt();
        return silentSince != null
                && Duration.between(silentSince, clock.instant()).toSeconds() < offlineWaitSeconds;
    }

    private CommandInvocation sign(Caller caller, CommandInvocation asked) {
        PlannedRuns.PlannedJob job = planned.job(asked.jobId());
        PlannedRuns.PlannedRun run = planned.checkRunCaller(caller, job, asked.agentId());
        CommandInvocation exact = exactInvocation(job, asked);
        if (run.signedAttempt() == asked.attempt() && run.signedNonce() != null) {
            // The same run asking again (its first answer was lost in a crash): the same invocation, same nonce.
            return signer.sign(exact, run.signedAt(), run.signedExpiresAt(), run.signedNonce());
        }
        if (run.state() != JobState.DISPATCHED || run.attempt() != asked.attempt()) {
            throw new ForgedCallException(job.id(), "attempt " + asked.attempt() + " of job " + job.id() + " on agent "
                    + asked.agentId() + " is not dispatched (the run is " + run.state() + " at attempt "
                    + run.attempt() + ")");
        }
        CommandInvocation signed = signer.sign(exact, job.offlineWaitSeconds() + SIGNATURE_SLACK_SECONDS);
        if (!planned.recordSigned(job.id(), asked.agentId(), asked.attempt(), signed.nonce(), signed.issuedAtMillis(),
                signed.expiresAtMillis())) {
            throw new ForgedCallException(job.id(), "attempt " + asked.attempt() + " of job " + job.id() + " on agent "
                    + asked.agentId() + " was signed already");
        }
        return signed;
    }

    /** {@code asked} as the API checked and recorded it for the job: its command and limits, or refused. */
    private static CommandInvocation exactInvocation(PlannedRuns.PlannedJob job, CommandInvocation asked) {
        String jobId = job.id();
        if (!job.command().equals(asked.command())) {
            throw new ForgedCallException(jobId, "command " + asked.command() + " is not the one checked for job "
                    + jobId + " at submission");
        }
        if (asked.timeoutSeconds() != job.timeoutSeconds() || asked.maxOutputBytes() != job.maxOutputBytes()) {
            throw new ForgedCallException(jobId, "timeout " + asked.timeoutSeconds() + "s / output cap "
                    + asked.maxOutputBytes() + " differ from job " + jobId + "'s " + job.timeoutSeconds() + "s / "
                    + job.maxOutputBytes());
        }
        return CommandInvocation.unsigned(jobId, asked.agentId(), asked.attempt(), job.command(),
                job.timeoutSeconds(), job.maxOutputBytes());
    }

    private <T> T checked(Function<Caller, T> action) {
        Caller caller = callers.current();
        try {
            return action.apply(caller);
        } catch (ForgedCallException refused) {
            throw callers.refuse(caller, refused);
        }
    }
}
