package io.mamos.orchestrator.auth;

import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

/**
 * Access tokens denied before they expire (logout), by {@code jti}. As a token validator it
 * makes the resource server refuse them; rows are pruned once the token would have expired.
 */
@Component
class RevokedAccessTokens implements OAuth2TokenValidator<Jwt> {

    private final JdbcTemplate jdbc;

    RevokedAccessTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void deny(String jti, Instant expiresAt) {
        long now = Instant.now().toEpochMilli();
        jdbc.update("DELETE FROM revoked_access_tokens WHERE expires_at < ?", now);
        jdbc.update("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES (?, ?) ON CONFLICT DO NOTHING", jti,
                expiresAt.toEpochMilli());
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        if (token.getId() == null) {
            return OAuth2TokenValidatorResult.success();
        }
        Integer denied = jdbc.queryForObject("SELECT COUNT(*) FROM revoked_access_tokens WHERE jti = ?",
                Integer.class, token.getId());
        return denied != null && denied > 0
                ? OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                        "the access token was revoked (logged out)", null))
                : OAuth2TokenValidatorResult.success();
    }
}
