package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Prometheus and the Grafana dashboard against the real stack: scripts/check-monitoring.sh
 * starts Debian's Prometheus with the project's config, checks that the orchestrator and the
 * agent (found through the orchestrator's service discovery) are up, and runs every panel query
 * of "MAMOS Overview", each of which must parse and return data.
 */
class MonitoringIT {

    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(8);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void everyDashboardPanelQueryReturnsDataFromARealPrometheus() {
        // Job counters and histograms only exist once jobs ended, of each kind the panels show.
        for (List<String> command : List.of(List.of("echo", "metrics"), List.of("true"), List.of("false"))) {
            String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), command.get(0), command.subList(1,
                    command.size()), 30);
            mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(60));
        }
        Path script = Path.of(System.getProperty("mamos.repo.root", "..")).toAbsolutePath().normalize()
                .resolve("scripts/check-monitoring.sh");
        Path dir = mamos.orchestratorDataDir().getParent();

        int exit = LoggedProcess.run("check-monitoring",
                List.of("bash", script.toString(), "--orchestrator-url", mamos.orchestrator().baseUrl(),
                        "--data-dir", mamos.orchestratorDataDir().toString(), "--agents", "1", "--timeout", "240"),
                Map.of(), dir, dir.resolve("check-monitoring.log"), CHECK_TIMEOUT);

        assertThat(exit).as("scripts/check-monitoring.sh exit code; its output:%n%s",
                LoggedProcess.tailOf("check-monitoring", dir.resolve("check-monitoring.log"), 80)).isZero();
    }
}
