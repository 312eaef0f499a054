package io.mamos.agent.run;

import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.config.AgentConfigFile;
import java.nio.file.Path;
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
                + "task queue until stopped (SIGTERM or Ctrl-C).")
public final class RunCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", paramLabel = "PATH",
            defaultValue = "${env:MAMOS_AGENT_CONFIG:-./data/agent/agent.properties}",
            description = "Config file written by `enroll`. Env: MAMOS_AGENT_CONFIG.")
    private Path config;

    @Option(names = "--max-concurrent", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_MAX_CONCURRENT:-4}",
            description = "Most commands run at the same time. Env: MAMOS_AGENT_MAX_CONCURRENT.")
    private int maxConcurrent;

    @Option(names = "--work-dir", paramLabel = "PATH", defaultValue = "${env:MAMOS_AGENT_WORK_DIR}",
            description = "Working directory of commands; default: a `work` folder next to the config file. "
                    + "Env: MAMOS_AGENT_WORK_DIR.")
    private Path workDir;

    @Override
    public Integer call() throws InterruptedException {
        if (maxConcurrent < 1) {
            throw new ParameterException(spec.commandLine(), "--max-concurrent must be at least 1");
        }
        AgentConfig agentConfig = AgentConfigFile.read(config);
        Path commandDir = workDir != null ? workDir : config.toAbsolutePath().getParent().resolve("work");
        AgentConfigFile.createPrivateDirectories(commandDir);

        AgentWorker worker = AgentWorker.start(agentConfig, commandDir, maxConcurrent);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.stop();
            stopped.countDown();
        }, "mamos-agent-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }
}
