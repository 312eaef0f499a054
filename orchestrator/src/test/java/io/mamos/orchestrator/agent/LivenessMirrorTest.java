package io.mamos.orchestrator.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.TestMamosProperties;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which agents a mirroring pass reads: each once per history interval, spread over the passes. */
class LivenessMirrorTest {

    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private static final Duration HISTORY_INTERVAL = Duration.ofSeconds(30);

    private final LivenessMirror mirror = new LivenessMirror(null, null, null, properties(), null, null);

    @Test
    void everyOnlineAgentIsReadOncePerHistoryIntervalInEvenShares() {
        List<String> online = IntStream.range(0, 1000).mapToObj(i -> "agent-" + i).toList();
        Map<String, Integer> reads = new HashMap<>();
        List<Integer> perPass = new ArrayList<>();
        Instant start = Instant.parse("2026-11-25T06:00:00Z");

        // Two minutes of passes, one per interval, each a little late as fixed-delay passes are.
        for (int pass = 0; pass < 24; pass++) {
            List<String> due = mirror.due(online, start.plus(INTERVAL.plusMillis(40).multipliedBy(pass)));
            due.forEach(id -> reads.merge(id, 1, Integer::sum));
            perPass.add(due.size());
        }

        // 1,000 agents, 6 passes per history interval: at most ceil(1000 / 6) = 167 reads a pass.
        assertThat(perPass).allSatisfy(n -> assertThat(n).isBetween(160, 167));
        assertThat(reads).hasSize(1000);
        assertThat(reads.values()).allSatisfy(n -> assertThat(n).isEqualTo(4));
    }

    @Test
    void anAgentThatComesOnlineIsReadInTheNextPassAndOneThatLeftIsForgotten() {
        Instant now = Instant.parse("2026-11-25T06:00:00Z");
        assertThat(mirror.due(List.of("a", "b"), now)).containsExactly("a");
        List<String> next = mirror.due(List.of("a", "b", "c"), now.plus(INTERVAL));
        List<String> withoutA = mirror.due(List.of("b"), now.plus(INTERVAL.multipliedBy(7)));
        List<String> aBack = mirror.due(List.of("a", "b"), now.plus(INTERVAL.multipliedBy(8)));

        assertThat(next).containsExactly("b");
        assertThat(withoutA).containsExactly("b");
        assertThat(aBack).containsExactly("a");
    }

    private static MamosProperties properties() {
        return TestMamosProperties.with(Path.of("unused"), null,
                new MamosProperties.Liveness(INTERVAL, Duration.ofHours(1), 50, HISTORY_INTERVAL, Duration.ofHours(24)));
    }
}
