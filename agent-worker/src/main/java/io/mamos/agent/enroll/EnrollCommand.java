package io.mamos.agent.enroll;

import io.mamos.agent.AgentException;
import io.mamos.agent.AgentVersion;
import io.mamos.agent.ExitCodes;
import io.mamos.agent.config.AgentConfig;
import io.mamos.agent.config.AgentConfigFile;
import io.mamos.agent.execution.Allowlist;
import io.mamos.workflows.CommandSignatures;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mamos-agent enroll}: trades a one-time token for an agent identity and writes the config. */
@Command(
        name = "enroll",
        description = {
            "Enroll this machine with the orchestrator using a one-time token, then write the agent's "
                    + "config file (mode 0600). Run once per machine, then start `mamos-agent run`.",
        })
public final class EnrollCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", defaultValue = "${env:MAMOS_AGENT_SERVER}",
            description = "Orchestrator base URL, e.g. http://localhost:4000. Env: MAMOS_AGENT_SERVER.")
    private URI server;

    // Never shown as a default: it would print the token from the environment in --help.
    @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:MAMOS_AGENT_TOKEN}",
            showDefaultValue = Visibility.NEVER,
            description = "One-time enrollment token. Prefer the env var: a command line is visible "
                    + "to other users. Env: MAMOS_AGENT_TOKEN.")
    private String token;

    @Option(names = "--config", paramLabel = "PATH",
            defaultValue = "${env:MAMOS_AGENT_CONFIG:-./data/agent/agent.properties}",
            description = "Config file to write. Env: MAMOS_AGENT_CONFIG.")
    private Path config;

    @Option(names = "--temporal-target", paramLabel = "HOST:PORT",
            defaultValue = "${env:MAMOS_AGENT_TEMPORAL_TARGET}",
            description = "Agent gateway to use instead of the one the orchestrator names "
                    + "(when this machine reaches it by another address). Env: MAMOS_AGENT_TEMPORAL_TARGET.")
    private String temporalTarget;

    @Option(names = "--allow", paramLabel = "EXECUTABLE", split = ",",
            defaultValue = "${env:MAMOS_AGENT_ALLOW:-" + Allowlist.DEFAULT_EXECUTABLES + "}",
            description = "Comma-separated absolute paths of the only executables this agent will run, each "
                    + "optionally with =FILE|FOLDER/|... naming what its arguments may be, symlinks resolved. "
                    + "Env: MAMOS_AGENT_ALLOW.")
    private List<String> allow;

    @Option(names = "--hostname", paramLabel = "NAME", defaultValue = "${env:MAMOS_AGENT_HOSTNAME}",
            description = "Name to report instead of the detected hostname. Env: MAMOS_AGENT_HOSTNAME.")
    private String hostname;

    @Option(names = "--force", defaultValue = "${env:MAMOS_AGENT_FORCE:-false}",
            description = "Replace an existing config file (the agent gets a new identity). Env: MAMOS_AGENT_FORCE.")
    private boolean force;

    /**
     * Made on use: picocli instantiates every subcommand, and an HTTP client starts a selector
     * thread that a long-running {@code run} has no use for.
     */
    private final Supplier<EnrollmentClient> client;

    public EnrollCommand() {
        this.client = EnrollmentClient::new;
    }

    EnrollCommand(EnrollmentClient client) {
        this.client = () -> client;
    }

    @Override
    public Integer call() {
        URI serverUrl = requireServer();
        String enrollmentToken = require(token, "--token (or MAMOS_AGENT_TOKEN)");
        Allowlist allowlist = parseAllowlist();
        // Checked before the token is spent: a used token cannot be tried again.
        if (Files.exists(config) && !force) {
            throw new AgentException(ExitCodes.CONFIG, "config file " + config
                    + " already exists; this machine is enrolled. Use --force to enroll it again.");
        }
        AgentConfigFile.createPrivateDirectories(config.toAbsolutePath().getParent());

        HostFacts host = HostFacts.detect(hostname);
        Enrollment enrollment = client.get().enroll(serverUrl,
                new EnrollmentRequest(enrollmentToken, host.hostname(), host.os(), AgentVersion.current()));

        String target = temporalTarget != null && !temporalTarget.isBlank()
                ? temporalTarget.trim() : enrollment.temporalTarget();
        if (target == null || target.isBlank()) {
            throw new AgentException(ExitCodes.CONFIG, "the orchestrator named no Temporal target; "
                    + "enrolled as " + enrollment.agentId() + " but cannot write a usable config. "
                    + "Enroll again with --temporal-target and --force.");
        }
        String namespace = enrollment.temporalNamespace() != null && !enrollment.temporalNamespace().isBlank()
                ? enrollment.temporalNamespace() : "default";
        String commandKey = pinnableKey(enrollment);
        AgentConfigFile.write(config, new AgentConfig(serverUrl, enrollment.agentId(), enrollment.credential(),
                enrollment.taskQueue(), target, Boolean.TRUE.equals(enrollment.temporalTls()), namespace, allowlist,
                commandKey));

        PrintWriter out = spec.commandLine().getOut();
        if (commandKey == null) {
            spec.commandLine().getErr().println("mamos-agent: warning: the orchestrator sent no command-signing "
                    + "key; this agent will refuse every command. Enroll again (--force) with an orchestrator "
                    + "that signs commands.");
        }
        out.printf("Enrolled %s as agent %s (task queue %s, Temporal %s).%n",
                host.hostname(), enrollment.agentId(), enrollment.taskQueue(), target);
        out.printf("Config written to %s. Start the worker with: mamos-agent run --config %s%n", config, config);
        out.flush();
        return ExitCodes.OK;
    }

    /** The key to pin, or null if the orchestrator sent none or an unusable one (then nothing will run). */
    private String pinnableKey(Enrollment enrollment) {
        String key = enrollment.commandPublicKey();
        if (key == null || key.isBlank()) {
            return null;
        }
        try {
            CommandSignatures.publicKey(key);
            return key.strip();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("mamos-agent: warning: the orchestrator's command key is not an "
                    + "Ed25519 public key; not pinned");
            return null;
        }
    }

    private URI requireServer() {
        if (server == null) {
            throw new ParameterException(spec.commandLine(), "Missing --server (or MAMOS_AGENT_SERVER)");
        }
        String scheme = server.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || server.getHost() == null) {
            throw new ParameterException(spec.commandLine(), "--server must be an http(s) URL, got " + server);
        }
        if ("http".equalsIgnoreCase(scheme) && !isLoopback(server.getHost())) {
            spec.commandLine().getErr().println("mamos-agent: warning: " + server
                    + " is plain http; the token and the agent's credential cross the network unencrypted");
        }
        return server;
    }

    private String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "Missing " + name);
        }
        return value.trim();
    }

    private Allowlist parseAllowlist() {
        try {
            return Allowlist.of(allow == null ? List.of() : allow);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--allow: " + e.getMessage());
        }
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }
}
