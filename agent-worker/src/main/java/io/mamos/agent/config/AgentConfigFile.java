package io.mamos.agent.config;

import io.mamos.agent.execution.Allowlist;
import io.mamos.workflows.CommandSignatures;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Properties;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the agent's config: a Java properties file (UTF-8) with these keys.
 * <pre>
 * server.url          orchestrator base URL the agent enrolled with
 * agent.id            the agent's id
 * agent.credential    the agent's secret from enrollment
 * task.queue          Temporal task queue the agent polls
 * temporal.target     the orchestrator's agent gateway (Temporal's API for this agent), host:port
 * temporal.tls        true when the gateway serves TLS (optional, default false)
 * temporal.namespace  Temporal namespace (optional, default "default")
 * allow               comma-separated absolute paths of the only executables the agent runs
 * command.key         the orchestrator's command-signing public key, base64 X.509 Ed25519, pinned
 *                     at enrollment (optional; without it the agent refuses every command)
 * </pre>
 * The file holds a credential, so it is created owner-only (0600) in an owner-only folder.
 */
public final class AgentConfigFile {

    public static final String SERVER_URL = "server.url";
    public static final String AGENT_ID = "agent.id";
    public static final String AGENT_CREDENTIAL = "agent.credential";
    public static final String TASK_QUEUE = "task.queue";
    public static final String TEMPORAL_TARGET = "temporal.target";
    public static final String TEMPORAL_TLS = "temporal.tls";
    public static final String TEMPORAL_NAMESPACE = "temporal.namespace";
    public static final String ALLOW = "allow";
    public static final String COMMAND_KEY = "command.key";

    static final Set<PosixFilePermission> FILE_PERMISSIONS = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY_PERMISSIONS = PosixFilePermissions.fromString("rwx------");

    private static final Logger log = LoggerFactory.getLogger(AgentConfigFile.class);

    private AgentConfigFile() {
    }

    /**
     * Writes the config atomically: the content goes to an owner-only temporary file in the same
     * folder, which then replaces the target in one rename. The credential is never on disk
     * under looser permissions, and a crash never leaves a half-written config behind.
     */
    public static void write(Path file, AgentConfig config) {
        Path target = file.toAbsolutePath();
        createPrivateDirectories(target.getParent());
        Path temporary = null;
        try {
            temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(FILE_PERMISSIONS));
            try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
                writer.write(render(config));
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            moveIntoPlace(temporary, target);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException("cannot write config file " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /** Reads and validates a config written by {@link #write} (or by hand in the same format). */
    public static AgentConfig read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config file " + file + " does not exist; run `mamos-agent enroll` first");
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        warnIfReadableByOthers(file);
        try {
            return new AgentConfig(
                    URI.create(required(properties, SERVER_URL, file)),
                    required(properties, AGENT_ID, file),
                    // Verbatim: a secret must round-trip exactly; other values forgive stray spaces.
                    requiredVerbatim(properties, AGENT_CREDENTIAL, file),
                    required(properties, TASK_QUEUE, file),
                    required(properties, TEMPORAL_TARGET, file),
                    Boolean.parseBoolean(properties.getProperty(TEMPORAL_TLS, "false").trim()),
                    properties.getProperty(TEMPORAL_NAMESPACE, "default").trim(),
                    Allowlist.parse(required(properties, ALLOW, file)),
                    commandKey(properties.getProperty(COMMAND_KEY), file));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates missing folders owner-only; existing ones are left as they are. */
    public static void createPrivateDirectories(Path directory) {
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly =
                    PosixFilePermissions.asFileAttribute(DIRECTORY_PERMISSIONS);
            Files.createDirectories(directory, ownerOnly);
        } catch (IOException | UnsupportedOperationException e) {
            throw new ConfigException("cannot create folder " + directory + ": " + e.getMessage(), e);
        }
    }

    static String render(AgentConfig config) {
        return """
                # MAMOS agent configuration, written by `mamos-agent enroll` at %s.
                # It holds this agent's credential: keep it owner-only (mode 0600).

                # Orchestrator base URL this agent enrolled with.
                server.url=%s
                # Id the orchestrator gave this agent.
                agent.id=%s
                # Secret proving this agent's identity to the orchestrator. Never share it.
                agent.credential=%s
                # Temporal task queue this agent polls; commands for this agent arrive only here.
                task.queue=%s
                # The orchestrator's agent gateway, host:port: this agent's only way to Temporal. It
                # presents agent.credential on every call and may poll task.queue only.
                temporal.target=%s
                # Whether the gateway serves TLS (its certificate is checked against the JVM's trust store).
                temporal.tls=%s
                # Temporal namespace.
                temporal.namespace=%s
                # Comma-separated absolute paths of the only executables this agent runs,
                # whatever it is sent. Edit to widen or narrow; restart `mamos-agent run` after.
                allow=%s
                # The orchestrator's public key, pinned at enrollment: only commands it signed run here.
                # Without it every command is refused; re-enroll to pin it.
                %s
                """.formatted(Instant.now(),
                escape(config.serverUrl().toString()),
                escape(config.agentId()),
                escape(config.credential()),
                escape(config.taskQueue()),
                escape(config.temporalTarget()),
                config.temporalTls(),
                escape(config.temporalNamespace()),
                escape(config.allow().toConfigValue()),
                config.commandPublicKey() == null ? "# " + COMMAND_KEY + "= (none)"
                        : COMMAND_KEY + "=" + escape(config.commandPublicKey()));
    }

    /** Escapes a value the way {@link Properties#load} expects, so any string round-trips. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                case '\f' -> escaped.append("\\f");
                case ' ' -> escaped.append(i == 0 ? "\\ " : " ");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    /** The pinned key, checked to be a usable Ed25519 key; null when none is pinned. */
    private static String commandKey(String value, Path file) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            CommandSignatures.publicKey(value);
            return value.strip();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid config file " + file + ": " + COMMAND_KEY
                    + " is not a base64 Ed25519 public key; re-enroll", e);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        return requiredVerbatim(properties, key, file).trim();
    }

    private static String requiredVerbatim(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new ConfigException("config file " + file + " lacks " + key);
        }
        return value;
    }

    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!FILE_PERMISSIONS.containsAll(permissions)) {
                log.warn("config file {} is accessible to other users ({}); it holds a credential, "
                        + "run: chmod 600 {}", file, PosixFilePermissions.toString(permissions), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.debug("cannot check permissions of {}: {}", file, e.getMessage());
        }
    }

    private static void deleteQuietly(Path temporary) {
        if (temporary == null) {
            return;
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            log.debug("cannot delete temporary file {}: {}", temporary, e.getMessage());
        }
    }
}
