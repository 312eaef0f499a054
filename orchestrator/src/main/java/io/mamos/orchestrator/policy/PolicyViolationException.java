package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

public class PolicyViolationException extends MamosException {

    public PolicyViolationException(String detail) {
        super(HttpStatus.BAD_REQUEST, "policy-violation", "Refused by the command policy", detail);
    }
}
