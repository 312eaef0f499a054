package io.mamos.orchestrator.web;

import org.springframework.http.HttpStatus;

public class TooManyRequestsException extends MamosException {

    private final long retryAfterSeconds;

    /** @param what what there were too many of, e.g. {@code failed login attempts from this address} */
    public TooManyRequestsException(String what, long retryAfterSeconds) {
        super(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many attempts",
                "too many " + what + "; retry in " + retryAfterSeconds + "s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
