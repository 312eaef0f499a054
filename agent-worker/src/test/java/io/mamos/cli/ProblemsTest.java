package io.mamos.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {

    @Test
    void problemDetailsAreSaidWithTitleAndDetail() {
        CliException e = Problems.of("POST", "/api/v1/jobs", 422,
                "{\"type\":\"https://mamos.dev/problems/command-forbidden\",\"title\":\"Command not allowed\","
                        + "\"status\":422,\"detail\":\"rm is not on the whitelist\"}");

        assertThat(e.getMessage()).isEqualTo("Command not allowed: rm is not on the whitelist");
        assertThat(e.exitCode()).isEqualTo(CliExit.REFUSED);
    }

    @Test
    void eachFieldErrorGetsALineOfItsOwn() {
        String message = Problems.message("POST", "/api/v1/jobs", 400,
                "{\"title\":\"Invalid request\",\"detail\":\"args: size must be between 0 and 64; command: must not be blank\"}");

        assertThat(message).isEqualTo("Invalid request:\n  - args: size must be between 0 and 64\n"
                + "  - command: must not be blank");
    }

    @Test
    void aBodyThatIsNoProblemStillNamesTheRequestAndStatus() {
        assertThat(Problems.message("GET", "/api/v1/jobs/x", 502, "<html>bad gateway</html>"))
                .isEqualTo("HTTP 502 [GET /api/v1/jobs/x answered 502]");
    }

    @Test
    void statusesMapToDistinctExitCodes() {
        assertThat(Problems.exitCode(401)).isEqualTo(CliExit.UNAUTHENTICATED);
        assertThat(Problems.exitCode(403)).isEqualTo(CliExit.FORBIDDEN);
        assertThat(Problems.exitCode(404)).isEqualTo(CliExit.NOT_FOUND);
        assertThat(Problems.exitCode(409)).isEqualTo(CliExit.REFUSED);
        assertThat(Problems.exitCode(503)).isEqualTo(CliExit.UNAVAILABLE);
    }

    @Test
    void unauthenticatedSaysHowToLogIn() {
        assertThat(Problems.message("GET", "/api/v1/jobs", 401, "{\"title\":\"Unauthorized\"}"))
                .contains("mamos login");
    }
}
