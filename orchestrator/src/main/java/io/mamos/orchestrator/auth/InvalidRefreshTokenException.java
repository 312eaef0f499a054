package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.web.MamosException;
import org.springframework.http.HttpStatus;

/** A refresh token that cannot be exchanged; the detail says why (never the token). */
class InvalidRefreshTokenException extends MamosException {

    private final transient RefreshTokens.Stored token;
    private boolean reused;

    InvalidRefreshTokenException(String detail, RefreshTokens.Stored token) {
        super(HttpStatus.UNAUTHORIZED, "invalid-refresh-token", "Invalid refresh token", detail);
        this.token = token;
    }

    InvalidRefreshTokenException reused() {
        this.reused = true;
        return this;
    }

    /** Whose token it was, when it is known at all. */
    String username() {
        return token == null ? null : token.username();
    }

    boolean wasReused() {
        return reused;
    }
}
