package io.mamos.workflows;

import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Orchestrator-side activities that mirror a job's and its runs' states into the orchestrator's
 * store. The workflows call them as local activities: they run inside the orchestrator's workflow
 * worker, next to the store, without a round trip through a task queue. Each is idempotent and
 * only moves a row forward, so a replay or retry changes nothing.
 */
@ActivityInterface
public interface JobStoreActivities {

    /** Attempt {@code attempt} of the run has been placed on the agent's queue. */
    void runDispatched(String jobId, String agentId, int attempt, long atMillis);

    /** The run reached a terminal state. */
    void runFinished(RunOutcome outcome);

    /**
     * Runs that will never start end in {@code state} ({@link JobState#SKIPPED} or
     * {@link JobState#CANCELED}) with {@code reason}; runs already dispatched are left alone.
     */
    void runsNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis);

    /** The job reached a terminal state; every run has been recorded before. */
    void jobFinished(JobOutcome outcome);

    /**
     * Signs a command for its agent: sets {@code issuedAtMillis} (now), {@code expiresAtMillis}
     * (now + {@code validForSeconds}), a fresh random nonce and the signature. Called once per
     * dispatch; the result is recorded in the workflow's history, so a replay reuses it.
     *
     * @param validForSeconds how long the agent may still start it: the wait for the agent plus slack
     */
    CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds);

    /**
     * The signed {@code previous} waited out the agent wait on its agent's queue and nobody picked
     * it up (Temporal will never hand that task out now). If the agent is online (busy), or went
     * offline less than the job's offline wait ago, the run waits on: the same attempt signed anew
     * with a fresh nonce, valid as long as the first, but only once the attempt's signature has
     * expired, so that at most one is valid at a time; until then the answer is the attempt's
     * current signature (its nonce tells), and the workflow asks again after its expiry. {@code null}
     * when the agent has been offline for the offline wait, or is gone: the run ends
     * {@link JobState#AGENT_OFFLINE}.
     */
    CommandInvocation resignForWaitingRun(CommandInvocation previous);

    /**
     * Leave for the calling workflow run to collect attempt {@code attempt} of its command from the
     * agent: signed for that run only, and only while the attempt is signed, dispatched and not
     * ended in the store. Valid for the run's wait for its agent plus slack, like a command.
     */
    AwaitTicket awaitTicket(String jobId, String agentId, int attempt);
}
