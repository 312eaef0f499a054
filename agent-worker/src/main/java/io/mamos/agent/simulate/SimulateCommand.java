package io.mamos.agent.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mamos.agent.AgentException;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.enroll.Enrollment;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code mamos-agent simulate}: a benchmark tool. Runs a fleet of simulated agents in one process,
 * or (with {@code --floor}) measures the bare-Temporal floor a job's latency is compared with.
 */
@Command(
        name = "simulate",
        description = {
            "Benchmarking only. Fleet mode: enroll COUNT simulated agents for real (one enrollment token "
                    + "each) and run one Temporal worker per agent, on its own queue, in this one process, "
                    + "until stopped. Simulated agents heartbeat a canned snapshot and execute NOTHING: every "
                    + "command returns exit code 0 and echoes its arguments, prefixed '"
                    + SimulatedCommandActivities.OUTPUT_PREFIX + "'.",
            "Floor mode (--floor): start and await RUNS one-activity workflows with the Temporal SDK "
                    + "directly (activity on an agent-style queue of its own), print their latency "
                    + "percentiles as JSON and exit; with --fan-out N, RUNS workflows that each schedule one "
                    + "activity on each of N such queues.",
        })
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--floor", defaultValue = "${env:MAMOS_AGENT_FLOOR:-false}",
            description = "Measure the Temporal floor instead of running a fleet. Env: MAMOS_AGENT_FLOOR.")
    private boolean floor;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:MAMOS_AGENT_SERVER}",
            description = "Orchestrator base URL (fleet mode). Env: MAMOS_AGENT_SERVER.")
    private URI server;

    @Option(names = "--admin-password-file", paramLabel = "PATH",
            defaultValue = "${env:MAMOS_AGENT_ADMIN_PASSWORD_FILE}",
            description = "File holding the admin password, used to mint enrollment tokens (fleet mode). "
                    + "Env: MAMOS_AGENT_ADMIN_PASSWORD_FILE.")
    private Path adminPasswordFile;

    @Option(names = "--count", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_COUNT:-100}",
            description = "Simulated agents to enroll and run (fleet mode). Env: MAMOS_AGENT_COUNT.")
    private int count;

    @Option(names = "--temporal-target", paramLabel = "HOST:PORT",
            defaultValue = "${env:MAMOS_AGENT_TEMPORAL_TARGET}",
            description = "Temporal frontend; fleet mode defaults to the one enrollment names, floor mode "
                    + "requires it. Env: MAMOS_AGENT_TEMPORAL_TARGET.")
    private String temporalTarget;

    @Option(names = "--namespace", paramLabel = "NAME", defaultValue = "${env:MAMOS_AGENT_NAMESPACE:-default}",
            description = "Temporal namespace (floor mode). Env: MAMOS_AGENT_NAMESPACE.")
    private String namespace;

    @Option(names = "--state-dir", paramLabel = "PATH", defaultValue = "${env:MAMOS_AGENT_STATE_DIR}",
            description = "Fleet mode writes agents.txt (one agent id a line) here, then an empty `ready` "
                    + "file once every worker polls, and appends each command it is sent to executions.log "
                    + "(`<task queue> <job id>` a line). Env: MAMOS_AGENT_STATE_DIR.")
    private Path stateDir;

    @Option(names = "--hostname-prefix", paramLabel = "NAME",
            defaultValue = "${env:MAMOS_AGENT_HOSTNAME_PREFIX:-sim}",
            description = "Simulated agents are named NAME-0, NAME-1, ... Env: MAMOS_AGENT_HOSTNAME_PREFIX.")
    private String hostnamePrefix;

    @Option(names = "--fan-out", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_FAN_OUT:-0}",
            description = "Floor mode: measure the fan-out floor instead, one workflow scheduling one activity "
                    + "on each of N agent-style queues (a worker each, like simulated agents); --runs and "
                    + "--warmup count such fan-outs. Env: MAMOS_AGENT_FAN_OUT.")
    private int fanOut;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_RUNS:-200}",
            description = "Measured workflow runs (floor mode). Env: MAMOS_AGENT_RUNS.")
    private int runs;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "${env:MAMOS_AGENT_WARMUP:-20}",
            description = "Unmeasured runs first, to warm up JIT and connections (floor mode). "
                    + "Env: MAMOS_AGENT_WARMUP.")
    private int warmup;

    @Override
    public Integer call() throws InterruptedException {
        return floor ? measureFloor() : runFleet();
    }

    private int measureFloor() {
        if (temporalTarget == null || temporalTarget.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--floor needs --temporal-target");
        }
        if (runs < 1 || warmup < 0) {
            throw new ParameterException(spec.commandLine(), "--runs must be at least 1, --warmup at least 0");
        }
        if (fanOut < 0) {
            throw new ParameterException(spec.commandLine(), "--fan-out must be at least 0");
        }
        Map<String, Object> result = fanOut > 0
                ? FloorBenchmark.fanOut(temporalTarget, namespace, fanOut, runs, warmup)
                : FloorBenchmark.run(temporalTarget, namespace, runs, warmup);
        try {
            spec.commandLine().getOut().println(new ObjectMapper().writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new AgentException(ExitCodes.SOFTWARE, "cannot print the floor's result", e);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private int runFleet() throws InterruptedException {
        if (server == null || adminPasswordFile == null) {
            throw new ParameterException(spec.commandLine(), "fleet mode needs --server and --admin-password-file");
        }
        if (count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        String password = readPassword();
        Path executionsLog = null;
        if (stateDir != null) {
            createStateDir();
            executionsLog = stateDir.resolve("executions.log");
        }
        SimulatedFleet fleet = SimulatedFleet.start(server, password, count, temporalTarget, hostnamePrefix,
                executionsLog);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stopped.countDown();
        }, "mamos-simulate-shutdown"));
        writeState(fleet);
        spec.commandLine().getOut().println("simulate: " + fleet.agents().size()
                + " simulated agents enrolled and polling; stop with SIGTERM or Ctrl-C");
        spec.commandLine().getOut().flush();
        stopped.await();
        return ExitCodes.OK;
    }

    private String readPassword() {
        try {
            return Files.readString(adminPasswordFile, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new AgentException(ExitCodes.CONFIG, "cannot read --admin-password-file " + adminPasswordFile
                    + ": " + e.getMessage(), e);
        }
    }

    private void createStateDir() {
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new AgentException(ExitCodes.CONFIG, "cannot create --state-dir " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }

    private void writeState(SimulatedFleet fleet) {
        if (stateDir == null) {
            return;
        }
        try {
            StringBuilder ids = new StringBuilder();
            for (Enrollment agent : fleet.agents()) {
                ids.append(agent.agentId()).append('\n');
            }
            Files.writeString(stateDir.resolve("agents.txt"), ids);
            Files.writeString(stateDir.resolve("ready"), "");
        } catch (IOException e) {
            throw new AgentException(ExitCodes.CONFIG, "cannot write to --state-dir " + stateDir + ": "
                    + e.getMessage(), e);
        }
    }
}
