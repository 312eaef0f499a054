package io.mamos.orchestrator.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A command whose agent is killed with {@code kill -9} keeps running, re-parented: the agent that
 * starts again on the same host ends it before taking new commands, and the job says the agent restarted.
 */
class OrphanedCommandIT {

    /** The restarted agent's JVM start (seconds on a loaded 2-core machine) and its sweep of /proc. */
    private static final Duration ORPHAN_ENDED = Duration.ofSeconds(60);

    /** As in AgentCrashIT: heartbeat timeout, the agent wait while the job asks for the result, latency. */
    private static final Duration LOSS_NOTICED = Duration.ofSeconds(40);

    @RegisterExtension
    static final MamosStack mamos = MamosStack.withAgent();

    @Test
    void agentRestartedAfterKillEndsTheCommandItsPreviousRunLeft() throws Exception {
        String jobId = mamos.api().submitAcceptedJob(mamos.agentId(), "sleep", List.of("300"), 600);
        mamos.api().awaitJobState(jobId, Set.of("RUNNING"), Duration.ofSeconds(30));
        long agentPid = mamos.agent().process().pid();
        List<ProcessHandle> sleeps = ProcessHandle.of(agentPid).orElseThrow().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false))
                .toList();
        assertThat(sleeps).as("the command's process under agent %s", agentPid).hasSize(1);

        mamos.agent().kill();
        assertThat(sleeps.get(0).isAlive()).as("the command outlives the killed agent").isTrue();

        mamos.restartAgent();
        Poll.until("the restarted agent to end the orphaned command", ORPHAN_ENDED,
                () -> !sleeps.get(0).isAlive());

        JsonNode job = mamos.api().awaitJobEnd(jobId, LOSS_NOTICED);
        assertThat(job.path("state").asString()).as("job: %s", job).isEqualTo("AGENT_LOST");
        String agentLog = Files.readString(mamos.agent().process().logFile());
        assertThat(agentLog).contains("killed 1 process(es) that commands of its previous run left running");
    }
}
