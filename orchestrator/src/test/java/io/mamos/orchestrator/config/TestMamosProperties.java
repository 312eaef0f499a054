package io.mamos.orchestrator.config;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import java.util.List;

/** {@link MamosProperties} with the documented defaults, for unit tests that build beans by hand. */
public final class TestMamosProperties {

    private TestMamosProperties() {
    }

    public static MamosProperties with(Path dataDir, Path policyFile) {
        return with(dataDir, policyFile, new MamosProperties.Liveness(Duration.ofSeconds(5), Duration.ofHours(1), 50,
                Duration.ofSeconds(30), Duration.ofHours(24)));
    }

    public static MamosProperties with(Path dataDir, Path policyFile, MamosProperties.Liveness liveness) {
        return new MamosProperties(dataDir, policyFile,
                new MamosProperties.Temporal("localhost:7233", "default", "http://localhost:8233"),
                new MamosProperties.Jobs(Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(60), 65536,
                        5000, DataSize.ofMegabytes(8)),
                new MamosProperties.Auth("mamos", Duration.ofMinutes(15), 10, 5, Duration.ofDays(14), null,
                        new MamosProperties.Oidc(null, null, "roles", "preferred_username", null)),
                new MamosProperties.Enrollment(Duration.ofHours(1), 20),
                liveness,
                new MamosProperties.Grafana("http://localhost:3001", "/d/mamos-overview/mamos-overview"),
                new MamosProperties.Live(List.of("http://localhost:3000")),
                new MamosProperties.Http(1_048_576, List.of()),
                new MamosProperties.Dashboard("http://localhost:3000"),
                new MamosProperties.Gateway(true, "127.0.0.1", 4233, null, new MamosProperties.Tls(null, null),
                        Duration.ofSeconds(30), Duration.ofMillis(500)), false);
    }
}
