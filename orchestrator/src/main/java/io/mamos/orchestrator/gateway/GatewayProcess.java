package io.mamos.orchestrator.gateway;

import io.mamos.orchestrator.auth.AgentCredentials;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.StoreConfig;
import io.mamos.orchestrator.config.StoreProperties;
import io.mamos.orchestrator.config.TemporalConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.spring.boot.autoconfigure.RootNamespaceAutoConfiguration;
import java.util.Map;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The agent gateway as a process of its own ({@code java -jar mamos-orchestrator.jar gateway}): the
 * gateway, the store it reads agent credentials from (the orchestrator's data folder, read only) and
 * the connection to Temporal (the starter's {@code WorkflowServiceStubs}, without its client and
 * worker); no REST API, no Temporal worker, no migrations. Agents then ride out an
 * orchestrator restart without noticing. Its HTTP port serves {@code /health} and {@code /metrics} only.
 *
 * <p>Deliberately not a {@code @Configuration}: the orchestrator's component scan must not pick it up.
 */
@EnableAutoConfiguration(exclude = RootNamespaceAutoConfiguration.class)
@EnableConfigurationProperties({MamosProperties.class, StoreProperties.class})
@Import({StoreConfig.class, TemporalConfig.class, AgentCredentials.class})
public class GatewayProcess {

    /** The subcommand that starts this process instead of the orchestrator. */
    public static final String COMMAND = "gateway";

    public static void run(String[] args) {
        // application-gateway.yml sets the HTTP port of /health and /metrics.
        new SpringApplicationBuilder(GatewayProcess.class)
                .profiles(COMMAND)
                .properties(Map.of(
                        // The orchestrator owns the schema; the gateway only reads agents.
                        "spring.flyway.enabled", false))
                .run(args);
    }

    @Bean
    GatewayServer gatewayServer(MamosProperties properties, WorkflowServiceStubs stubs,
            AgentCredentials credentials, MeterRegistry registry) {
        return GatewayServer.forStubs(properties, stubs, TaskTokens.inDataDirectory(properties.dataDir()),
                credentials, registry);
    }

    @Bean
    SecurityFilterChain healthAndMetricsOnly(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/health", "/health/**", "/metrics").permitAll()
                        .anyRequest().denyAll())
                .build();
    }
}
