package io.mamos.orchestrator.caller;

/**
 * An orchestrator-side activity was called by a workflow run the store did not plan for what it
 * asked. Thrown inside the checks; {@link Callers#refuse} turns it into the audited, counted,
 * non-retryable failure the activity returns.
 */
public class ForgedCallException extends RuntimeException {

    private final String target;

    public ForgedCallException(String target, String reason) {
        super(reason);
        this.target = target;
    }

    /** What the call tried to act on (a job id, an agent id, a schedule id). */
    public String target() {
        return target;
    }
}
