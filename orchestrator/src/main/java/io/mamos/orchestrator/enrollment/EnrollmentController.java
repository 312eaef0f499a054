package io.mamos.orchestrator.enrollment;

import jakarta.validation.Valid;
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

    private final EnrollmentService enrollment;

    EnrollmentController(EnrollmentService enrollment) {
        this.enrollment = enrollment;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    EnrollmentService.Enrollment enroll(@Valid @RequestBody EnrollRequest request) {
        return enrollment.enroll(request.token(), request.hostname(), request.os(), request.agentVersion());
    }

    record EnrollRequest(
            @NotBlank @Size(max = 256) String token,
            @NotBlank @Size(max = 253) String hostname,
            @Size(max = 256) String os,
            @Size(max = 64) String agentVersion) {
    }
}
