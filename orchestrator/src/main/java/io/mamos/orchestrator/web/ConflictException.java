package io.mamos.orchestrator.web;

import org.springframework.http.HttpStatus;

public class ConflictException extends MamosException {

    public ConflictException(String kind, String title, String detail) {
        super(HttpStatus.CONFLICT, kind, title, detail);
    }
}
