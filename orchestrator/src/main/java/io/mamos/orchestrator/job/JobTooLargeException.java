package io.mamos.orchestrator.job;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** A job that would exceed what one job may be (its targets, or what it writes into Temporal's history). */
class JobTooLargeException extends MamosException {

    JobTooLargeException(String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "job-too-large", "Job too large", detail);
    }
}
