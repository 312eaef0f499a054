package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

public class InvalidCredentialsException extends MamosException {

    public InvalidCredentialsException() {
        super(HttpStatus.UNAUTHORIZED, "invalid-credentials", "Invalid credentials",
                "the username or password is wrong");
    }
}
