package io.mamos.orchestrator.job;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

public class TemporalUnavailableException extends MamosException {

    public TemporalUnavailableException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "temporal-unavailable", "Temporal is unavailable", detail);
    }
}
