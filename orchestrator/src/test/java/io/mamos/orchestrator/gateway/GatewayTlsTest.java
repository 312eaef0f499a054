package io.mamos.orchestrator.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.mamos.orchestrator.config.MamosProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code mamos.gateway.tls.*} set, the gateway serves TLS only: a plaintext client gets nowhere. */
class GatewayTlsTest {

    @TempDir
    Path dir;

    @Test
    void gatewayWithACertificateServesTlsAndRefusesPlaintext() throws Exception {
        TestCertificates certificates = TestCertificates.selfSigned(dir);
        Path cert = certificates.certificateChain();
        Path key = certificates.privateKey();
        String name = InProcessServerBuilder.generateName();
        Server temporal = InProcessServerBuilder.forName(name).addService(new WorkflowServiceGrpc.WorkflowServiceImplBase() {
            @Override
            public void getSystemInfo(GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> out) {
                out.onNext(GetSystemInfoResponse.getDefaultInstance());
                out.onCompleted();
            }
        }).build().start();
        ManagedChannel temporalChannel = InProcessChannelBuilder.forName(name).build();
        GatewayServer gateway = GatewayServer.create(new MamosProperties.Gateway(true, "127.0.0.1", 0, null,
                        new MamosProperties.Tls(cert, key), Duration.ofSeconds(30), Duration.ofSeconds(1)),
                "default", "fake", WorkflowServiceGrpc.newFutureStub(temporalChannel), new TaskTokens(new byte[32]),
                new GatewayCredentials.Store() {
                    @Override
                    public Optional<String> agentIdFor(String credential) {
                        return "mamos_ac_alice".equals(credential) ? Optional.of("alice") : Optional.empty();
                    }

                    @Override
                    public List<String> revokedSince(Instant since) {
                        return List.of();
                    }
                }, new SimpleMeterRegistry());
        gateway.start();
        ManagedChannel tls = NettyChannelBuilder.forAddress("localhost", gateway.port())
                .sslContext(GrpcSslContexts.forClient().trustManager(cert.toFile()).build()).build();
        ManagedChannel plaintext = NettyChannelBuilder.forAddress("localhost", gateway.port()).usePlaintext().build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer mamos_ac_alice");
            var overTls = WorkflowServiceGrpc.newBlockingStub(tls)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);
            var overPlaintext = WorkflowServiceGrpc.newBlockingStub(plaintext)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(10, TimeUnit.SECONDS);

            assertThat(overTls.getSystemInfo(GetSystemInfoRequest.getDefaultInstance())).isNotNull();
            assertThatThrownBy(() -> overPlaintext.getSystemInfo(GetSystemInfoRequest.getDefaultInstance()))
                    .isInstanceOf(StatusRuntimeException.class);
        } finally {
            tls.shutdownNow();
            plaintext.shutdownNow();
            gateway.stop();
            temporalChannel.shutdownNow();
            temporal.shutdownNow();
        }
    }
}
