package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.web.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/auth")
class AuthController {

    /** Compared against when the user does not exist, so both failures take the same time. */
    private final String dummyHash;

    private final UserAccountRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AccessTokens tokens;

    private final RateLimiter failedLogins;
    private final AuditLog audit;

    AuthController(UserAccountRepository users, PasswordEncoder passwordEncoder, AccessTokens tokens,
            MamosProperties properties, AuditLog audit) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.tokens = tokens;
        this.audit = audit;
        this.failedLogins = new RateLimiter("failed login", properties.auth().failedLoginsPerMinute(),
                Duration.ofMinutes(1), Clock.systemUTC());
        this.dummyHash = passwordEncoder.encode("no-such-user");
    }

    @PostMapping("/token")
    AccessTokens.TokenResponse token(@Valid @RequestBody LoginRequest request, HttpServletRequest http) {
        failedLogins.check(http.getRemoteAddr());
        var user = users.findById(request.username());
        String hash = user.map(UserAccount::passwordHash).orElse(dummyHash);
        boolean matches = passwordEncoder.matches(request.password(), hash);
        if (user.isEmpty() || !matches) {
            failedLogins.recordFailure(http.getRemoteAddr());
            audit.record(request.username(), "login.failed", null, null);
            throw new InvalidCredentialsException();
        }
        audit.record(request.username(), "login", null, null);
        return tokens.issue(user.get());
    }

    record LoginRequest(@NotBlank @Size(max = 128) String username, @NotBlank @Size(max = 1024) String password) {
    }
}
