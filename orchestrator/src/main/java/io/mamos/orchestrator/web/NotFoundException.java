package io.mamos.orchestrator.web;

import org.springframework.http.HttpStatus;

public class NotFoundException extends MamosException {

    public NotFoundException(String what, String id) {
        super(HttpStatus.NOT_FOUND, "not-found", what + " not found", what + " '" + id + "' does not exist");
    }
}
