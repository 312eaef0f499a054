package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.config.MamosProperties;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Login, refresh and logout. A login answers a short-lived access token plus an opaque refresh
 * token; {@code /refresh} trades the refresh token for a new pair (rotation); {@code /logout}
 * ends the session: its refresh tokens are revoked and the access token presented is denied.
 */
@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    /** Compared against when the user does not exist, so both failures take the same time. */
    private final String dummyHash;

    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final RevokedAccessTokens revokedAccessTokens;

    private final LoginThrottle throttle;
    private final AuditLog audit;
    private final MamosProperties properties;

    AuthController(UserAccountRepository users, PasswordEncoder passwordEncoder, AccessTokens accessTokens,
            RefreshTokens refreshTokens, RevokedAccessTokens revokedAccessTokens, MamosProperties properties,
            AuditLog audit) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.revokedAccessTokens = revokedAccessTokens;
        this.audit = audit;
        this.properties = properties;
        this.throttle = new LoginThrottle(properties.auth(), Clock.systemUTC());
        this.dummyHash = passwordEncoder.encode("no-such-user");
    }

    @PostMapping("/token")
    Session token(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        throttle.checkLogin(http.getRemoteAddr(), request.username());
        var user = users.findById(request.username());
        String hash = user.map(UserAccount::passwordHash).orElse(dummyHash);
        boolean matches = passwordEncoder.matches(request.password(), hash);
        if (user.isEmpty() || !matches) {
            throttle.loginFailed(http.getRemoteAddr(), request.username());
            // A name that is no user is not recorded: people type their password into that field.
            audit.record(user.isPresent() ? request.username() : "anonymous", "login.failed", null,
                    user.isPresent() ? "wrong password" : "no such user");
            throw new InvalidCredentialsException();
        }
        throttle.loginSucceeded(http.getRemoteAddr(), request.username());
        var refresh = refreshTokens.start(user.get().username());
        audit.record(request.username(), "login", refresh.familyId(), null);
        return session(user.get(), refresh);
    }

    @PostMapping("/refresh")
    Session refresh(@Valid @RequestBody RefreshRequest request, HttpServletRequest http) {
        throttle.checkRefresh(http.getRemoteAddr());
        RefreshTokens.Issued next;
        try {
            next = refreshTokens.rotate(request.refreshToken());
        } catch (InvalidRefreshTokenException refused) {
            throttle.refreshFailed(http.getRemoteAddr());
            String actor = refused.username() == null ? "anonymous" : refused.username();
            audit.record(actor, refused.wasReused() ? "refresh-token.reused" : "refresh.failed", null,
                    refused.getMessage());
            throw refused;
        }
        // The user may have been deleted since; their tokens are revoked then, but be sure.
        var user = users.findById(next.username()).orElseThrow(() -> {
            refreshTokens.revokeFamily(next.familyId());
            return new InvalidRefreshTokenException("the user no longer exists", null);
        });
        audit.record(user.username(), "token.refreshed", next.familyId(), null);
        return session(user, next);
    }

    @PostMapping("/logout")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void logout(JwtAuthenticationToken caller) {
        var jwt = caller.getToken();
        Instant expiresAt = jwt.getExpiresAt() == null ? Instant.now() : jwt.getExpiresAt();
        if (jwt.getId() != null) {
            revokedAccessTokens.deny(jwt.getId(), expiresAt);
        }
        // An external provider's "sid" names its own session, not one of our refresh-token families.
        String sessionId = UserTokens.isOwn(jwt, properties.auth()) ? jwt.getClaimAsString(AccessTokens.SESSION_CLAIM)
                : null;
        int revoked = sessionId == null ? 0 : refreshTokens.revokeFamily(sessionId);
        audit.record(caller.getName(), "logout", sessionId, revoked + " refresh token(s) revoked");
    }

    private Session session(UserAccount user, RefreshTokens.Issued refresh) {
        var access = accessTokens.issue(user, refresh.familyId());
        return new Session(access.accessToken(), "Bearer", access.expiresIn(), refresh.token(), refresh.expiresAt(),
                user.username(), user.role());
    }

    record LoginRequest(@NotBlank @Size(max = 128) String username, @NotBlank @Size(max = 1024) String password) {
    }

    record RefreshRequest(@NotBlank @Size(max = 256) String refreshToken) {
    }

    /** What a login or refresh answers; the refresh token is the only copy of that secret. */
    record Session(String accessToken, String tokenType, long expiresIn, String refreshToken,
            Instant refreshTokenExpiresAt, String username, Role role) {
    }
}
