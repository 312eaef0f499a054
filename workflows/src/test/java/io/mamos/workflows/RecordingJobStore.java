package io.mamos.workflows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link JobStoreActivities} that remembers every write, in the order the workflow made them. */
final class RecordingJobStore implements JobStoreActivities {

    /** One write the workflow asked the store for. */
    record Write(String operation, String jobId, long atMillis, JobOutcome outcome) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();

    @Override
    public void jobDispatched(String jobId, long atMillis) {
        writes.add(new Write("jobDispatched", jobId, atMillis, null));
    }

    @Override
    public void jobFinished(JobOutcome outcome) {
        writes.add(new Write("jobFinished", outcome.jobId(), outcome.finishedAtMillis(), outcome));
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
