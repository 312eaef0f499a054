package io.mamos.agent.execution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeenNoncesTest {

    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void aNonceIsAcceptedOnceOnly() {
        SeenNonces nonces = SeenNonces.inMemory(at(NOW));

        assertThat(nonces.claim("nonce-aaaa", NOW + 60_000)).isTrue();
        assertThat(nonces.claim("nonce-aaaa", NOW + 60_000)).isFalse();
        assertThat(nonces.claim("nonce-bbbb", NOW + 60_000)).isTrue();
    }

    @Test
    void seenNoncesSurviveARestartInAnOwnerOnlyFile() throws Exception {
        Path file = dir.resolve("seen-nonces");
        SeenNonces.open(file, at(NOW)).claim("nonce-aaaa", NOW + 60_000);

        assertThat(SeenNonces.open(file, at(NOW + 1_000)).claim("nonce-aaaa", NOW + 60_000)).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void expiredEntriesArePrunedWhenLoaded() throws Exception {
        Path file = dir.resolve("seen-nonces");
        SeenNonces first = SeenNonces.open(file, at(NOW));
        first.claim("nonce-old0", NOW + 1_000);
        first.claim("nonce-live", NOW + 60_000);

        SeenNonces later = SeenNonces.open(file, at(NOW + 2_000));

        assertThat(later.size()).isEqualTo(1);
        assertThat(Files.readString(file)).contains("nonce-live").doesNotContain("nonce-old0");
    }

    @Test
    void aTornLastLineIsIgnored() throws Exception {
        Path file = dir.resolve("seen-nonces");
        Files.writeString(file, (NOW + 60_000) + " nonce-aaaa\n17000");

        SeenNonces nonces = SeenNonces.open(file, at(NOW));

        assertThat(nonces.size()).isEqualTo(1);
        assertThat(nonces.claim("nonce-aaaa", NOW + 60_000)).isFalse();
    }

    @Test
    void theFileIsCompactedAsEntriesExpire() throws Exception {
        Path file = dir.resolve("seen-nonces");
        MutableClock clock = new MutableClock(NOW);
        SeenNonces nonces = SeenNonces.open(file, clock);
        for (int i = 0; i < 1_500; i++) {
            clock.millis = NOW + i;
            nonces.claim("nonce-" + String.format("%06d", i), NOW + i + 10);
        }

        assertThat(Files.readAllLines(file).size()).isLessThan(1_030);
    }

    @Test
    void concurrentClaimsAreAllDurableAndEachNonceIsAcceptedOnce() throws Exception {
        Path file = dir.resolve("seen-nonces");
        SeenNonces nonces = SeenNonces.open(file, at(NOW));
        int threads = 8;
        int each = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> accepted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            // Every thread claims the same nonces: each must be accepted by exactly one of them.
            accepted.add(pool.submit(() -> {
                int mine = 0;
                for (int i = 0; i < each; i++) {
                    mine += nonces.claim("nonce-" + String.format("%06d", i), NOW + 60_000) ? 1 : 0;
                }
                return mine;
            }));
        }
        int total = 0;
        for (var future : accepted) {
            total += future.get();
        }
        pool.shutdown();

        assertThat(total).isEqualTo(each);
        SeenNonces reopened = SeenNonces.open(file, at(NOW + 1_000));
        assertThat(reopened.size()).isEqualTo(each);
        for (int i = 0; i < each; i++) {
            assertThat(reopened.claim("nonce-" + String.format("%06d", i), NOW + 60_000)).isFalse();
        }
    }

    @Test
    void aClaimThatCannotBeWrittenFailsAndLeavesTheNonceUnclaimed() throws Exception {
        Path file = dir.resolve("seen-nonces");
        SeenNonces nonces = SeenNonces.open(file, at(NOW));
        Files.delete(file);
        Files.createDirectory(file); // appending to a folder fails

        assertThatThrownBy(() -> nonces.claim("nonce-aaaa", NOW + 60_000))
                .isInstanceOf(UncheckedIOException.class);
        assertThat(nonces.size()).isZero();
    }

    private static Clock at(long millis) {
        return Clock.fixed(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
    }

    private static final class MutableClock extends Clock {
        long millis;

        MutableClock(long millis) {
            this.millis = millis;
        }

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
