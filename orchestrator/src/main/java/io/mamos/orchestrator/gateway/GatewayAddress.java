package io.mamos.orchestrator.gateway;

import io.mamos.orchestrator.config.MamosProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** The gateway address handed to agents at enrollment. */
@Component
public class GatewayAddress {

    private final MamosProperties.Gateway settings;
    private final ObjectProvider<GatewayServer> localGateway;

    GatewayAddress(MamosProperties properties, ObjectProvider<GatewayServer> localGateway) {
        this.settings = properties.gateway();
        this.localGateway = localGateway;
    }

    /**
     * {@code mamos.gateway.advertised-target} when set; otherwise the host the agent reached the
     * orchestrator by, with the port of the gateway (this process's, or the configured one).
     */
    public String forAgentEnrollingThrough(String host) {
        if (settings.advertisedTarget() != null && !settings.advertisedTarget().isBlank()) {
            return settings.advertisedTarget().strip();
        }
        GatewayServer local = localGateway.getIfAvailable();
        int port = local != null && local.isRunning() ? local.port() : settings.port();
        String bracketed = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return bracketed + ":" + port;
    }
}
