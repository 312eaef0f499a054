package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The built jars the end-to-end tests start. Failsafe passes their paths as system properties
 * (see orchestrator/pom.xml); the defaults fit a run from the orchestrator module's folder.
 */
final class Jars {

    /** Building a release's two jars from a warm Maven repository takes about 20 s on 2 cores. */
    private static final Duration RELEASE_BUILD = Duration.ofMinutes(10);

    /** Extracting a Spring Boot jar and recording its startup's classes: about 40 s on a loaded 2-core machine. */
    private static final Duration LAUNCHER_BUILD = Duration.ofMinutes(5);

    /** How each Spring Boot jar of this run is started, worked out once per jar (see {@link #bootJar}). */
    private static final Map<Path, List<String>> LAUNCHERS = new HashMap<>();

    private static String jwtSigningKey;

    private Jars() {
    }

    static Path orchestrator() {
        return find("mamos.orchestrator.jar", "target/mamos-orchestrator.jar", "./mvnw -B -pl orchestrator package");
    }

    static Path agent() {
        return find("mamos.agent.jar", "../agent-worker/target/mamos-agent.jar", "./mvnw -B -pl agent-worker package");
    }

    /** The orchestrator and agent jars of a released tag. */
    record Release(String tag, Path orchestrator, Path agent) {
    }

    /**
     * The jars of {@code tag} (e.g. v0.2.0), built from the repository's history by
     * scripts/build-release.sh, which caches them per commit (a second call builds nothing).
     * Its output goes to {@code log}.
     */
    static Release release(String tag, Path log) throws IOException, InterruptedException {
        Path script = Path.of(System.getProperty("mamos.release.script", "../scripts/build-release.sh"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException("missing " + script + " (system property mamos.release.script)");
        }
        Process build = new ProcessBuilder("bash", script.toString(), tag)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!build.waitFor(RELEASE_BUILD.toMinutes(), TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new IllegalStateException(script + " " + tag + " took over " + RELEASE_BUILD + "; see " + log);
        }
        List<String> lines = Files.readAllLines(log);
        if (build.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(script + " " + tag + " exited " + build.exitValue() + "; see " + log);
        }
        Path folder = Path.of(lines.get(lines.size() - 1).trim());
        Release release = new Release(tag, folder.resolve("mamos-orchestrator.jar"), folder.resolve("mamos-agent.jar"));
        if (!Files.isRegularFile(release.orchestrator()) || !Files.isRegularFile(release.agent())) {
            throw new IllegalStateException(script + " " + tag + " left no jars in " + folder + "; see " + log);
        }
        return release;
    }

    /** The java launcher of the JVM running the tests, so every process uses the same JDK. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The JVM arguments that start the Spring Boot jar {@code jar} ({@code -jar ...} and what goes
     * before it), as its own documentation advises for a fast start: the jar extracted once
     * ({@code -Djarmode=tools extract}, so classes load from plain jars rather than nested ones), and
     * a class-data-sharing archive of the classes its startup loads, recorded by one run that stops
     * once its context is refreshed ({@code -XX:ArchiveClassesAtExit}, {@code spring.context.exit}).
     * The same code runs, from the same classes; the tests' dozens of orchestrator starts take
     * about half the CPU. Kept next to the jar ({@code <jar>.launch/}) and done again when the jar
     * changes; when recording the archive fails, the extracted jar starts without one.
     */
    static synchronized List<String> bootJar(Path jar) {
        Path key = jar.toAbsolutePath().normalize();
        return LAUNCHERS.computeIfAbsent(key, Jars::prepareBootJar);
    }

    private static List<String> prepareBootJar(Path jar) {
        Path dir = jar.resolveSibling(jar.getFileName() + ".launch");
        Path extracted = dir.resolve("app").resolve(jar.getFileName());
        Path archive = dir.resolve("startup.jsa");
        Path stamp = dir.resolve("stamp");
        // Failsafe's forks (other JVMs) may prepare the same jar at the same time: one does, the
        // others wait for it and then find its stamp.
        Path lockFile = jar.resolveSibling(jar.getFileName() + ".launch.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            String expected = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
            if (!Files.isRegularFile(stamp) || !Files.readString(stamp).equals(expected)) {
                deleteTree(dir);
                Files.createDirectories(dir);
                Path log = dir.resolve("prepare.log");
                run(log, dir, List.of(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination",
                        extracted.getParent().toString()), Map.of());
                if (!Files.isRegularFile(extracted)) {
                    throw new IllegalStateException("extracting " + jar + " left no " + extracted + "; see " + log);
                }
                Path scratch = Files.createTempDirectory(dir, "record-");
                provideSigningKey(scratch.resolve("data"));
                List<String> record = new ArrayList<>(List.of(java(), tmpDir(scratch), "-XX:TieredStopAtLevel=1",
                        "-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh", "-jar",
                        extracted.toString()));
                // Nothing listens on port 1: the Temporal client connects lazily, and the context
                // stops right after its refresh, before the worker would start.
                int exit = run(log, dir, record, Map.of("SERVER_PORT", "0",
                        "MAMOS_DATA_DIR", scratch.resolve("data").toString(), "MAMOS_TEMPORAL_TARGET", "127.0.0.1:1"));
                deleteTree(scratch);
                if (exit != 0 || !Files.isRegularFile(archive)) {
                    Files.deleteIfExists(archive);
                    System.err.println("[e2e] recording the startup classes of " + jar + " failed (exit " + exit
                            + "); it starts without them; see " + log);
                }
                Files.writeString(stamp, expected);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + jar + " in " + dir, e);
        }
        List<String> arguments = new ArrayList<>();
        if (Files.isRegularFile(archive)) {
            arguments.add("-XX:SharedArchiveFile=" + archive);
        }
        arguments.addAll(List.of("-jar", extracted.toString()));
        return List.copyOf(arguments);
    }

    private static int run(Path log, Path dir, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("MAMOS_") || name.equals("SERVER_PORT"));
        builder.environment().putAll(env);
        Process process = builder.start();
        try {
            if (!process.waitFor(LAUNCHER_BUILD.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " took over " + LAUNCHER_BUILD + "; see " + log);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
        return process.exitValue();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    /**
     * Puts an access-token signing key into a new orchestrator data folder ({@code jwt-signing-key.pem},
     * 0600, as an operator providing the key would), so that a test's first start does not spend
     * seconds finding RSA-3072 primes with the JIT compiler the tests' JVMs are limited to. One key,
     * made once in this JVM, serves every stack; the orchestrator's own generation of a missing key
     * is what the API tests' contexts do.
     */
    static void provideSigningKey(Path dataDir) {
        Path file = dataDir.resolve("jwt-signing-key.pem");
        try {
            if (Files.exists(file)) {
                return;
            }
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, jwtSigningKey() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static synchronized String jwtSigningKey() {
        if (jwtSigningKey == null) {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(3072);
                jwtSigningKey = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                                generator.generateKeyPair().getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----";
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("cannot generate an RSA key pair", e);
            }
        }
        return jwtSigningKey;
    }

    /** Keeps a started JVM's temporary files (Tomcat's work folder, say) in its test's folder, not in /tmp. */
    static String tmpDir(Path dir) {
        return "-Djava.io.tmpdir=" + dir.toAbsolutePath();
    }

    private static Path find(String property, String fallback, String buildCommand) {
        Path jar = Path.of(System.getProperty(property, fallback)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("missing " + jar + " (system property " + property + "); build it with "
                    + buildCommand + " or run the tests with ./mvnw verify from the repository root");
        }
        return jar;
    }
}
