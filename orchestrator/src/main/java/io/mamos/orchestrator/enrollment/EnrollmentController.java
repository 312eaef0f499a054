package io.mamos.orchestrator.enrollment;

import io.mamos.orchestrator.agent.AgentAddresses;
import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.gateway.GatewayAddress;
import io.mamos.orchestrator.web.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.time.Clock;
import java.time.Duration;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Unauthenticated on purpose: the one-time token is the credential. */
@RestController
@RequestMapping("/api/v1/enrollments")
class EnrollmentController {

    private final GatewayAddress gateway;
    private final EnrollmentService enrollment;
    private final RateLimiter failedEnrollments;
    private final AuditLog audit;
    private final AgentAddresses addresses;

    EnrollmentController(EnrollmentService enrollment, MamosProperties properties, AuditLog audit,
            AgentAddresses addresses, GatewayAddress gateway) {
        this.enrollment = enrollment;
        this.gateway = gateway;
        this.addresses = addresses;
        this.audit = audit;
        this.failedEnrollments = new RateLimiter("refused enrollment attempts from this address",
                properties.enrollment().failedAttemptsPerMinute(), Duration.ofMinutes(1), Clock.systemUTC());
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EnrollmentService.Enrollment enroll(@Valid @RequestBody EnrollRequest request, HttpServletRequest http) {
        failedEnrollments.check(http.getRemoteAddr());
        try {
            var enrolled = enrollment.enroll(request.token(), request.hostname(), request.os(), request.agentVersion(),
                    gateway.forAgentEnrollingThrough(http.getServerName()));
            addresses.record(enrolled.agentId(), http.getRemoteAddr());
            audit.record("agent:" + enrolled.agentId(), "agent.enrolled", enrolled.agentId(),
                    "hostname " + request.hostname());
            return enrolled;
        } catch (InvalidEnrollmentTokenException refused) {
            failedEnrollments.recordFailure(http.getRemoteAddr());
            audit.record("anonymous", "enrollment.refused", null, "hostname " + request.hostname());
            throw refused;
        }
    }

    record EnrollRequest(
            @NotBlank @Size(max = 256) String token,
            @NotBlank @Size(max = 253) String hostname,
            @Size(max = 256) String os,
            @Size(max = 64) String agentVersion) {
    }
}
