package io.mamos.workflows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link JobStoreActivities} that remembers every write, in the order the workflow made them. */
final class RecordingJobStore implements JobStoreActivities {

    /** One write the workflow asked the store for. */
    record Write(String operation, String jobId, long atMillis, JobOutcome outcome) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private volatile long preparedValidForSeconds = -1;

    @Override
    public void jobDispatched(String jobId, long atMillis) {
        writes.add(new Write("jobDispatched", jobId, atMillis, null));
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        writes.add(new Write("jobFinished", outcome.jobId(), outcome.finishedAtMillis(), outcome));
    }

    /** Signs nothing: stamps a recognisable nonce and signature so tests can see what the agent got. */
    @Override
    public CommandInvocation prepareInvocation(CommandInvocation unsigned, long validForSeconds) {
        preparedValidForSeconds = validForSeconds;
        return unsigned.signed(1_000, 1_000 + validForSeconds * 1000, "nonce-" + unsigned.jobId(), "signed-by-test");
    }

    long preparedValidForSeconds() {
        return preparedValidForSeconds;
    }

    /** The names of the operations called, in order. */
    List<String> operations() {
        return writes.stream().map(Write::operation).toList();
    }

    long dispatchedAtMillis() {
        return only("jobDispatched").atMillis();
    }

    JobOutcome finishedOutcome() {
        return only("jobFinished").outcome();
    }

    private Write only(String operation) {
        List<Write> matching = writes.stream().filter(write -> write.operation().equals(operation)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + operation + " write, got " + writes);
        }
        return matching.get(0);
    }
}
