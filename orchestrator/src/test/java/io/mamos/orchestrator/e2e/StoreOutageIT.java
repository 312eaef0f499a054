package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A store that cannot be written for a while (here another process holds SQLite's write lock,
 * longer than the orchestrator's busy timeout, as a backup tool or a stuck writer would) while a
 * job ends: every write the workflow makes is retried until the store answers, so the job and its
 * run still end with the command's real result instead of staying RUNNING for ever.
 */
class StoreOutageIT {

    /** Longer than two of the store's 10 s busy timeouts: each write fails at least twice. */
    private static final Duration OUTAGE = Duration.ofSeconds(25);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void jobEndingWhileTheStoreIsUnwritableStillEndsWithItsResult() throws Exception {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("5"), 60);
        JsonNode running = mamos.api().awaitJobState(jobId, JobStates.HANDED_TO_AGENT, Duration.ofSeconds(30));
        assertThat(running.path("state").asString()).as("job before the outage: %s", running)
                .isIn(JobStates.HANDED_TO_AGENT);

        Path store = mamos.orchestratorDataDir().resolve("mamos.db");
        assertThat(store).exists();
        try (Connection lock = DriverManager.getConnection("jdbc:sqlite:" + store);
                Statement statement = lock.createStatement()) {
            statement.execute("BEGIN EXCLUSIVE");
            // The command ends during the outage: its run's and job's end cannot be written.
            Thread.sleep(OUTAGE.toMillis());
            statement.execute("ROLLBACK");
        }

        JsonNode job = mamos.api().awaitJobEnd(jobId, Duration.ofSeconds(90));
        assertThat(job.path("state").asString()).as("job after the outage: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.path("exitCode").asInt(-1)).isZero();
        assertThat(mamos.api().runs(jobId)).singleElement()
                .satisfies(run -> assertThat(run.path("state").asString()).as("run %s", run).isEqualTo("SUCCEEDED"));
        assertThat(Files.readString(mamos.orchestrator().process().logFile()))
                .as("the orchestrator saw its store writes fail").contains("SQLITE_BUSY");
    }
}
