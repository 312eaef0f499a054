package io.mamos.orchestrator.policy;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** The command exists in the policy, but the caller's role may not run it (403). */
public class CommandForbiddenException extends MamosException {

    public CommandForbiddenException(String detail) {
        super(HttpStatus.FORBIDDEN, "command-forbidden", "Command not allowed for this role", detail);
    }
}
