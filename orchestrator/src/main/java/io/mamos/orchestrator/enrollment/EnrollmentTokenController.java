package io.mamos.orchestrator.enrollment;

import io.mamos.orchestrator.audit.AuditLog;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Admin-only (see the security configuration): create and list one-time enrollment tokens. */
@RestController
@RequestMapping("/api/v1/enrollment-tokens")
class EnrollmentTokenController {

    private final EnrollmentService enrollment;
    private final EnrollmentTokenRepository tokens;
    private final AuditLog audit;
    private final JsonMapper json;

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {
    };

    EnrollmentTokenController(EnrollmentService enrollment, EnrollmentTokenRepository tokens, AuditLog audit,
            JsonMapper json) {
        this.json = json;
        this.enrollment = enrollment;
        this.tokens = tokens;
        this.audit = audit;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EnrollmentService.CreatedToken create(@Valid @RequestBody(required = false) CreateTokenRequest request,
            Authentication user) {
        Duration ttl = request == null || request.ttlSeconds() == null ? null : Duration.ofSeconds(request.ttlSeconds());
        var created = enrollment.createToken(user.getName(), ttl, request == null ? null : request.labels());
        audit.record(user.getName(), "enrollment-token.created", created.id(),
                "expires " + created.expiresAt() + ", labels " + created.labels());
        return created;
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void revoke(@PathVariable String id, Authentication user) {
        enrollment.revokeToken(id, user.getName());
        audit.record(user.getName(), "enrollment-token.revoked", id, null);
    }

    /** Shows each token's state, never its secret (which is not stored anyway). */
    @GetMapping
    TokenList list() {
        Instant now = Instant.now();
        return new TokenList(tokens.findAllByOrderByCreatedAtDesc().stream()
                .map(t -> new TokenView(t.id(), t.state(now), t.createdBy(), t.createdAt(), t.expiresAt(), t.usedAt(),
                        t.agentId(), labels(t)))
                .toList());
    }

    record CreateTokenRequest(@Min(60) @Max(30L * 24 * 3600) Long ttlSeconds, Map<String, String> labels) {
    }

    record TokenView(String id, String state, String createdBy, Instant createdAt, Instant expiresAt, Instant usedAt,
            String agentId, Map<String, String> labels) {
    }

    private Map<String, String> labels(EnrollmentToken token) {
        return token.labelsJson() == null ? Map.of() : json.readValue(token.labelsJson(), LABELS);
    }

    record TokenList(List<TokenView> items) {
    }
}
