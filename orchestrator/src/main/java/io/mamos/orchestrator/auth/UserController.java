package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.web.ConflictException;
import io.mamos.orchestrator.web.NotFoundException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin-only (see the security configuration): users and their roles. Passwords are stored as bcrypt. */
@RestController
@RequestMapping("/api/v1/users")
class UserController {

    private final UserAccountRepository users;
    private final JdbcAggregateTemplate template;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final RefreshTokens refreshTokens;

    UserController(UserAccountRepository users, JdbcAggregateTemplate template, PasswordEncoder passwordEncoder,
            AuditLog audit, RefreshTokens refreshTokens) {
        this.refreshTokens = refreshTokens;
        this.users = users;
        this.template = template;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
    }

    @GetMapping
    UserList list() {
        return new UserList(users.findAll().stream()
                .sorted(Comparator.comparing(UserAccount::username))
                .map(UserView::of)
                .toList());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    UserView create(@Valid @RequestBody CreateUserRequest request, Authentication admin) {
        var user = new UserAccount(request.username(), passwordEncoder.encode(request.password()), request.role(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        if (users.existsById(user.username())) {
            throw userExists(user.username());
        }
        try {
            template.insert(user);
        } catch (DataAccessException e) {
            // Lost a race with a concurrent create of the same name: the primary key decided.
            // PostgreSQL's unique violation arrives translated; SQLite's as its own result code.
            if (e instanceof DuplicateKeyException || e.getMostSpecificCause() instanceof SQLiteException sqlite
                    && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                throw userExists(user.username());
            }
            throw e;
        }
        audit.record(admin.getName(), "user.created", user.username(), "role " + user.role());
        return UserView.of(user);
    }

    @DeleteMapping("/{username}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void delete(@PathVariable String username, Authentication admin) {
        if (username.equals(admin.getName())) {
            throw new ConflictException("cannot-delete-self", "Cannot delete yourself",
                    "an admin cannot delete their own account; ask another admin");
        }
        if (!users.existsById(username)) {
            throw new NotFoundException("user", username);
        }
        users.deleteById(username);
        int revoked = refreshTokens.revokeAllOf(username);
        audit.record(admin.getName(), "user.deleted", username, revoked + " refresh token(s) revoked");
    }

    /** Changes a user's role; their sessions end (refresh tokens revoked) so the new role applies at once. */
    @PutMapping("/{username}/role")
    UserView changeRole(@PathVariable String username, @Valid @RequestBody ChangeRoleRequest request,
            Authentication admin) {
        if (username.equals(admin.getName())) {
            throw new ConflictException("cannot-change-own-role", "Cannot change your own role",
                    "an admin cannot change their own role; ask another admin");
        }
        var user = users.findById(username).orElseThrow(() -> new NotFoundException("user", username));
        var changed = new UserAccount(user.username(), user.passwordHash(), request.role(), user.createdAt());
        template.update(changed);
        int revoked = refreshTokens.revokeAllOf(username);
        audit.record(admin.getName(), "user.role-changed", username,
                "role " + user.role() + " -> " + request.role() + "; " + revoked + " refresh token(s) revoked");
        return UserView.of(changed);
    }

    record ChangeRoleRequest(@NotNull Role role) {
    }

    private static ConflictException userExists(String username) {
        return new ConflictException("user-exists", "User exists", "a user named '" + username + "' already exists");
    }

    record CreateUserRequest(
            @NotBlank @Size(max = 64) @Pattern(regexp = "[A-Za-z0-9._@-]+",
                    message = "may contain letters, digits and . _ @ - only") String username,
            @NotNull @Size(min = 12, max = 1024) String password,
            @NotNull Role role) {
    }

    record UserView(String username, Role role, Instant createdAt) {
        static UserView of(UserAccount user) {
            return new UserView(user.username(), user.role(), user.createdAt());
        }
    }

    record UserList(List<UserView> items) {
    }
}
