package io.mamos.agent.liveness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mamos.agent.system.SystemProbe;
import io.mamos.workflows.CommandActivities;
import io.mamos.workflows.LivenessActivities;
import io.mamos.workflows.LivenessSession;
import io.mamos.workflows.SystemSnapshot;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LivenessActivitiesImplTest {

    private static final SystemProbe PROBE = new SystemProbe(() -> 0, null);

    private TestActivityEnvironment env;
    private LivenessActivitiesImpl impl;
    private LivenessActivities activities;
    private final List<SystemSnapshot> heartbeats = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        env = TestActivityEnvironment.newInstance();
        impl = new LivenessActivitiesImpl(PROBE);
        env.registerActivitiesImplementations(impl);
        env.setActivityHeartbeatListener(SystemSnapshot.class, heartbeats::add);
        activities = env.newActivityStub(LivenessActivities.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                // The SDK sends heartbeats at most every 0.8 x this timeout: below the 1 s interval.
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    @Test
    void checkInReturnsASnapshotAtOnce() {
        long started = System.nanoTime();

        SystemSnapshot snapshot = activities.checkIn("agent-1");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(snapshot.hostname()).isNotBlank();
        assertThat(snapshot.memoryTotalBytes()).isPositive();
    }

    @Test
    void reportLivenessHeartbeatsSnapshotsUntilTheSessionEnds() {
        long started = System.nanoTime();

        SystemSnapshot last = activities.reportLiveness(new LivenessSession("agent-1", 1_000, 3));

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(8));
        assertThat(heartbeats).hasSizeGreaterThanOrEqualTo(3);
        assertThat(heartbeats).extracting(SystemSnapshot::capturedAtMillis).isSorted().doesNotHaveDuplicates();
        assertThat(last.capturedAtMillis()).isGreaterThanOrEqualTo(heartbeats.get(0).capturedAtMillis() + 2500);
    }

    @Test
    void cancellingTheActivityEndsTheSession() throws Exception {
        CountDownLatch heartbeating = new CountDownLatch(1);
        env.setActivityHeartbeatListener(SystemSnapshot.class, snapshot -> heartbeating.countDown());
        CompletableFuture<SystemSnapshot> session = CompletableFuture.supplyAsync(
                () -> activities.reportLiveness(new LivenessSession("agent-1", 1_000, 600)));
        assertThat(heartbeating.await(10, TimeUnit.SECONDS)).isTrue();

        env.requestCancelActivity();

        assertThatThrownBy(() -> session.get(10, TimeUnit.SECONDS))
                .rootCause()
                .isInstanceOf(CanceledFailure.class);
    }

    @Test
    void agentShutdownEndsTheSessionAtOnceWithAFailure() throws Exception {
        CountDownLatch heartbeating = new CountDownLatch(1);
        env.setActivityHeartbeatListener(SystemSnapshot.class, snapshot -> heartbeating.countDown());
        CompletableFuture<SystemSnapshot> session = CompletableFuture.supplyAsync(
                () -> activities.reportLiveness(new LivenessSession("agent-1", 30_000, 600)));
        assertThat(heartbeating.await(10, TimeUnit.SECONDS)).isTrue();

        impl.stop();

        assertThatThrownBy(() -> session.get(2, TimeUnit.SECONDS))
                .cause()
                .isInstanceOf(ActivityFailure.class)
                .cause()
                .isInstanceOfSatisfying(ApplicationFailure.class,
                        failure -> assertThat(failure.getType()).isEqualTo(CommandActivities.AGENT_SHUT_DOWN));
    }
}
