package io.mamos.orchestrator.job;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** The job's targets resolved to no agent: nothing would run, so nothing is recorded. */
class NoTargetsException extends MamosException {

    NoTargetsException(String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "no-targets", "No agent to run on", detail);
    }
}
