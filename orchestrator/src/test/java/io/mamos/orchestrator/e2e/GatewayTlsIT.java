package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.mamos.orchestrator.gateway.TestCertificates;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The agent gateway served over TLS, end to end: the orchestrator is given a certificate
 * ({@code MAMOS_GATEWAY_TLS_*}), enrollment tells the agent to use TLS, and the real agent JVM,
 * trusting that certificate through its JVM trust store as the docs say, reaches Temporal through
 * the gateway and runs a command. The gateway's port answers nothing in plaintext.
 */
class GatewayTlsIT {

    private static final Duration JOB_END = Duration.ofSeconds(60);
    private static final TestCertificates CERTIFICATES = TestCertificates.selfSigned(
            Path.of(System.getProperty("mamos.e2e.dir", "target/e2e")).toAbsolutePath()
                    .resolve("GatewayTlsIT-certificate-" + ProcessHandle.current().pid()));

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent()
            .withOrchestratorEnv("MAMOS_GATEWAY_TLS_CERTIFICATE_CHAIN", CERTIFICATES.certificateChain().toString())
            .withOrchestratorEnv("MAMOS_GATEWAY_TLS_PRIVATE_KEY", CERTIFICATES.privateKey().toString())
            .withAgentEnv("JAVA_TOOL_OPTIONS", CERTIFICATES.trustOptions());

    @Test
    void anAgentTrustingTheGatewaysCertificateRunsACommandOverTls() throws Exception {
        assertThat(Files.readAllLines(mamos.agentConfig())).as("the enrolled agent's config")
                .contains("temporal.tls=true", "temporal.target=" + mamos.orchestrator().gatewayTarget());

        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "echo", List.of("over", "tls"), 30);
        JsonNode job = mamos.api().awaitJobEnd(jobId, JOB_END);

        assertThat(job.path("state").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("stdout").asString()).isEqualTo("over tls\n");
    }

    @Test
    void theGatewaysPortAnswersNothingInPlaintext() {
        String[] hostPort = mamos.orchestrator().gatewayTarget().split(":");
        ManagedChannel plaintext = NettyChannelBuilder.forAddress(hostPort[0], Integer.parseInt(hostPort[1]))
                .usePlaintext().build();
        try {
            assertThatThrownBy(() -> WorkflowServiceGrpc.newBlockingStub(plaintext)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getSystemInfo(GetSystemInfoRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            plaintext.shutdownNow();
        }
    }
}
