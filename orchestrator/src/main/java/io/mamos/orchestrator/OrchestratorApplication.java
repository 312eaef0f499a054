package io.mamos.orchestrator;

import io.mamos.orchestrator.gateway.GatewayProcess;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
@EnableAsync
public class OrchestratorApplication {

    /** Runs the orchestrator, or with {@code gateway} as first argument the agent gateway on its own. */
    public static void main(String[] args) {
        if (args.length > 0 && GatewayProcess.COMMAND.equals(args[0])) {
            GatewayProcess.run(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        SpringApplication.run(OrchestratorApplication.class, args);
    }
}
