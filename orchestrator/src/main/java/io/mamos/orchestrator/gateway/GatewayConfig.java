package io.mamos.orchestrator.gateway;

import io.mamos.orchestrator.auth.AgentCredentials;
import io.mamos.orchestrator.config.MamosProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Serves the agent gateway in this process unless {@code mamos.gateway.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "mamos.gateway.enabled", matchIfMissing = true)
public class GatewayConfig {

    @Bean
    GatewayServer gatewayServer(MamosProperties properties, WorkflowServiceStubs stubs,
            AgentCredentials credentials, MeterRegistry registry) {
        return GatewayServer.forStubs(properties, stubs, TaskTokens.inDataDirectory(properties.dataDir()),
                credentials, registry);
    }
}
