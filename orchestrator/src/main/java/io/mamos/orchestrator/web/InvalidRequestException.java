package io.mamos.orchestrator.web;

import org.springframework.http.HttpStatus;

public class InvalidRequestException extends MamosException {

    public InvalidRequestException(String detail) {
        super(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
    }
}
