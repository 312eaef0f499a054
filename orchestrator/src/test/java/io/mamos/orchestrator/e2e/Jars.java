package io.mamos.orchestrator.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The built jars the end-to-end tests start. Failsafe passes their paths as system properties
 * (see orchestrator/pom.xml); the defaults fit a run from the orchestrator module's folder.
 */
final class Jars {

    /** Building a release's two jars from a warm Maven repository takes about 20 s on 2 cores. */
    private static final Duration RELEASE_BUILD = Duration.ofMinutes(10);

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
