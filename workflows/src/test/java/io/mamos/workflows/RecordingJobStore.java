package io.mamos.workflows;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link JobStoreActivities} that remembers every write, in the order the workflows made them. */
final class RecordingJobStore implements JobStoreActivities {

    /** One write a workflow asked the store for. */
    record Write(String operation, String jobId, String agentId, int attempt, long atMillis, Object payload) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private volatile long preparedValidForSeconds = -1;
    /** Failures still to come, per operation, before the store answers again. */
    private volatile int failuresPerWrite;
    private final Map<String, AtomicInteger> failed = new ConcurrentHashMap<>();
    private final Set<String> online = ConcurrentHashMap.newKeySet();
    private final Set<String> stillValidAnswered = ConcurrentHashMap.newKeySet();

    /** Each write fails its first {@code count} attempts, as an unwritable SQLite file does. */
    void failEachWriteFirst(int count) {
        failuresPerWrite = count;
    }

    /** Attempts that failed, per operation. */
    Map<String, AtomicInteger> failedAttempts() {
        return failed;
    }

    private void failIfStillDown(String operation) {
        AtomicInteger failures = failed.computeIfAbsent(operation, op -> new AtomicInteger());
        if (failures.get() < failuresPerWrite) {
            failures.incrementAndGet();
            throw new IllegalStateException("[SQLITE_IOERR_WRITE] disk I/O error (" + operation + ")");
        }
    }

    @Override
    public void runDispatched(String jobId, String agentId, int attempt, long atMillis) {
        failIfStillDown("runDispatched");
        writes.add(new Write("runDispatched", jobId, agentId, attempt, atMillis, null));
    }

    @Override
    public void runFinished(RunOutcome outcome) {
        failIfStillDown("runFinished");
        writes.add(new Write("runFinished", outcome.jobId(), outcome.agentId(), outcome.attempt(),
                outcome.finishedAtMillis(), outcome));
    }

    @Override
    public void runsNotStarted(String jobId, List<String> agentIds, JobState state, String reason, long atMillis) {
        failIfStillDown("runsNotStarted");
        for (String agentId : agentIds) {
            writes.add(new Write("runNotStarted", jobId, agentId, 0, atMillis, state));
        }
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        failIfStillDown("jobFinished");
        writes.add(new Write("jobFinished", outcome.jobId(), null, 0, outcome.finishedAtMillis(), outcome));
    }

    List<Write> writes() {
        return writes;
    }

    /** Signs nothing: stamps a recognisable nonce and signature so tests can see what the agent got. */
    @Override
    public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
        preparedValidForSeconds = validForSeconds;
        return unsigned.signed(1_000, 1_000 + validForSeconds * 1000, "nonce-" + unsigned.jobId(), "signed-by-test");
    }

    /** Signs nothing: a ticket for the calling workflow run with a recognisable signature. */
    @Override
    public AwaitTicket awaitTicket(String jobId, String agentId, int attempt) {
        var info = io.temporal.activity.Activity.getExecutionContext().getInfo();
        return new AwaitTicket(jobId, agentId, attempt, info.getWorkflowId(), info.getRunId(), 1_000, 61_000,
                "ticket-by-test");
    }

    /** Agents this store reads as online (a busy agent's runs wait on); every other one is offline. */
    void agentsOnline(String... agentIds) {
        online.addAll(List.of(agentIds));
    }

    /**
     * Like the orchestrator's store: null for an offline agent; for an online one, first the
     * attempt's current signature (still valid, so the workflow must wait for its expiry), then a new
     * one with a fresh nonce.
     */
    @Override
    public CommandInvocation resignForWaitingRun(CommandInvocation previous) {
        writes.add(new Write("resignForWaitingRun", previous.jobId(), previous.agentId(), previous.attempt(), 0,
                previous.nonce()));
        if (!online.contains(previous.agentId())) {
            return null;
        }
        if (stillValidAnswered.add(previous.nonce())) {
            return previous;
        }
        return previous.signed(2_000, 2_000 + 1_000, previous.nonce() + "-resigned", "signed-by-test");
    }

    long preparedValidForSeconds() {
        return preparedValidForSeconds;
    }

    /** The names of the operations called, in order. */
    List<String> operations() {
        return writes.stream().map(Write::operation).toList();
    }

    long dispatchedAtMillis() {
        return only("runDispatched").atMillis();
    }

    JobOutcome finishedOutcome() {
        return (JobOutcome) only("jobFinished").payload();
    }

    /** The end recorded for the job's only run. */
    RunOutcome runOutcome() {
        return (RunOutcome) only("runFinished").payload();
    }

    List<RunOutcome> runOutcomes() {
        return writes.stream().filter(write -> write.operation().equals("runFinished"))
                .map(write -> (RunOutcome) write.payload()).toList();
    }

    /** Agents whose run was recorded as never started. */
    List<String> notStarted() {
        return writes.stream().filter(write -> write.operation().equals("runNotStarted")).map(Write::agentId)
                .toList();
    }

    private Write only(String operation) {
        List<Write> matching = writes.stream().filter(write -> write.operation().equals(operation)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + operation + " write, got " + writes);
        }
        return matching.get(0);
    }
}
