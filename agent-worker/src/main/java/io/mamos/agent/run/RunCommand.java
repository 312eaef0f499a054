package io.mamos.agent.run;

import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.config.AgentConfigFile;
import io.mamos.agent.metrics.MetricsAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mamos-agent run}: the long-running agent process, until SIGTERM or Ctrl-C. */
@Command(
        name = "run",
        description = "Run this agent's Temporal worker: execute allowlisted commands sent to its own "
                + "task queue, report this host's liveness and load, and serve Prometheus metrics, until "
                + "stopped (SIGTERM or Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    private static final Duration CREDENTIAL_CHECK_TIMEOUT = Duration.ofSeconds(5);

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "PATH",
            defaultValue = "${env:MAMOS_AGENT_CONFIG:-./data/agent/agent.properties}",
            description = "Config file written by `enroll`. Env: MAMOS_AGENT_CONFIG.")
    private Path config;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_MAX_CONCURRENT:-4}",
            description = "Commands that can run at the same time; more wait in Temporal, on the agent's "
                    + "queue. Liveness has a queue and slots of its own, so a busy agent still answers it. "
                    + "Env: MAMOS_AGENT_MAX_CONCURRENT.")
    private int maxConcurrent;

    @Option(names = "--work-dir", paramLabel = "PATH", defaultValue = "${env:MAMOS_AGENT_WORK_DIR}",
            description = "Working directory of commands; default: a `work` folder next to the config file. "
                    + "Env: MAMOS_AGENT_WORK_DIR.")
    private Path workDir;

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT",
            defaultValue = "${env:MAMOS_AGENT_METRICS_ADDRESS:-0.0.0.0:9101}",
            description = "Where to serve Prometheus metrics at /metrics (0.0.0.0 = all interfaces, "
                    + "port 0 = any free port); `off` disables them. Env: MAMOS_AGENT_METRICS_ADDRESS.")
    private String metricsAddress;

    @Override
    public Integer call() throws InterruptedException {
        if (maxConcurrent < 1) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent must be at least 1");
        }
        Optional<MetricsAddress> metrics;
        try {
            metrics = MetricsAddress.parse(metricsAddress);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--metrics-address: " + e.getMessage());
        }
        AgentConfig agentConfig = AgentConfigFile.read(config);
        new CredentialCheck(CREDENTIAL_CHECK_TIMEOUT).verify(agentConfig);
        Path commandDir = workDir != null ? workDir : config.toAbsolutePath().getParent().resolve("work");
        AgentConfigFile.createPrivateDirectories(commandDir);

        // Next to the config: the agent's own state, not the commands' working folder.
        Path seenNonces = config.toAbsolutePath().getParent().resolve("seen-nonces");
        AgentWorker worker = AgentWorker.start(agentConfig, commandDir, seenNonces, maxConcurrent, metrics);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();
            stopped.countDown();
        }, "mamos-agent-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
