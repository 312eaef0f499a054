package io.mamos.orchestrator.enrollment;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** Unknown, expired, revoked and already-used tokens look the same from outside on purpose. */
public class InvalidEnrollmentTokenException extends MamosException {

    public InvalidEnrollmentTokenException() {
        super(HttpStatus.UNAUTHORIZED, "invalid-enrollment-token", "Invalid enrollment token",
                "the enrollment token is unknown, expired, revoked or already used; ask an admin for a new one");
    }
}
