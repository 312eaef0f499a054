package io.mamos.orchestrator.e2e;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The built jars the end-to-end tests start. Failsafe passes their paths as system properties
 * (see orchestrator/pom.xml); the defaults fit a run from the orchestrator module's folder.
 */
final class Jars {

    private Jars() {
    }

    static Path orchestrator() {
        return find("mamos.orchestrator.jar", "target/mamos-orchestrator.jar", "./mvnw -B -pl orchestrator package");
    }

    static Path agent() {
        return find("mamos.agent.jar", "../agent-worker/target/mamos-agent.jar", "./mvnw -B -pl agent-worker package");
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
