package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** The request is well-formed but the command policy does not allow it (422). */
public class PolicyViolationException extends MamosException {

    public PolicyViolationException(String detail) {
        super(HttpStatus.UNPROCESSABLE_CONTENT, "policy-violation", "Refused by the command policy", detail);
    }
}
