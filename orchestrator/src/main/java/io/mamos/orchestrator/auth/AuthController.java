package io.mamos.orchestrator.auth;

import jakarta.validation.Valid;
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

    AuthController(UserAccountRepository users, PasswordEncoder passwordEncoder, AccessTokens tokens) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.tokens = tokens;
        this.dummyHash = passwordEncoder.encode("no-such-user");
    }

    @PostMapping("/token")
    AccessTokens.TokenResponse token(@Valid @RequestBody LoginRequest request) {
        var user = users.findById(request.username());
        String hash = user.map(UserAccount::passwordHash).orElse(dummyHash);
        boolean matches = passwordEncoder.matches(request.password(), hash);
        if (user.isEmpty() || !matches) {
            throw new InvalidCredentialsException();
        }
        return tokens.issue(user.get());
    }

    record LoginRequest(@NotBlank @Size(max = 128) String username, @NotBlank @Size(max = 1024) String password) {
    }
}
