package io.mamos.orchestrator.web;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * Base of every domain error. Each kind has a stable problem {@code type} URI so clients can
 * branch on it; {@link ProblemHandler} turns it into {@code application/problem+json}.
 */
public abstract class MamosException extends RuntimeException {

    static final String TYPE_BASE = "https://mamos.dev/problems/";

    private final HttpStatus status;
    private final String kind;
    private final String title;

    protected MamosException(HttpStatus status, String kind, String title, String detail) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return URI.create(TYPE_BASE + kind);
    }

    public String title() {
        return title;
    }
}
