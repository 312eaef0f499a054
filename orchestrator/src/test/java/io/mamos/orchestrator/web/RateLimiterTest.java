package io.mamos.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final RateLimiter limiter = new RateLimiter("login", 3, Duration.ofMinutes(1), clock);

    @Test
    void addressWithTooManyRecentFailuresIsRefusedWithRetryAfter() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure("10.0.0.1");
        }

        assertThatThrownBy(() -> limiter.check("10.0.0.1"))
                .isInstanceOf(TooManyRequestsException.class)
                .satisfies(e -> org.assertj.core.api.Assertions
                        .assertThat(((TooManyRequestsException) e).retryAfterSeconds()).isBetween(1L, 60L));
    }

    @Test
    void otherAddressesAreNotAffected() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure("10.0.0.1");
        }

        assertThatCode(() -> limiter.check("10.0.0.2")).doesNotThrowAnyException();
    }

    @Test
    void failuresOlderThanTheWindowNoLongerCount() {
        for (int i = 0; i < 3; i++) {
            limiter.recordFailure("10.0.0.1");
        }
        now = now.plusSeconds(61);

        assertThatCode(() -> limiter.check("10.0.0.1")).doesNotThrowAnyException();
    }
}
