package io.mamos.agent.metrics;

import io.mamos.agent.system.SystemProbe;
import io.mamos.workflows.DiskUsage;
import io.mamos.workflows.SystemSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * Host gauges ({@code mamos_agent_cpu_usage_ratio}, memory, per-mount disk) fed from one
 * {@link SystemProbe} snapshot, taken at most every {@link #MAX_AGE} however often or by how many
 * Prometheus servers the agent is scraped.
 */
final class SystemGauges {

    static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final SystemProbe probe;
    private final MultiGauge diskUsed;
    private final MultiGauge diskTotal;
    private volatile SystemSnapshot latest;
    private long sampledAtNanos;

    SystemGauges(MeterRegistry registry, SystemProbe probe) {
        this.probe = probe;
        gauge(registry, "mamos.agent.cpu.usage.ratio", "Share of all CPUs busy, 0..1", SystemSnapshot::cpuUsage);
        gauge(registry, "mamos.agent.load1", "1-minute load average (-1 where the OS has none)",
                SystemSnapshot::loadAverage1m);
        gauge(registry, "mamos.agent.memory.used.bytes", "Memory in use (total minus available)",
                SystemSnapshot::memoryUsedBytes);
        gauge(registry, "mamos.agent.memory.total.bytes", "Physical memory", SystemSnapshot::memoryTotalBytes);
        diskUsed = MultiGauge.builder("mamos.agent.disk.used.bytes")
                .description("Space used on a real file system, by mount point")
                .register(registry);
        diskTotal = MultiGauge.builder("mamos.agent.disk.total.bytes")
                .description("Size of a real file system, by mount point")
                .register(registry);
        refreshIfStale();
    }

    /** Takes a new snapshot if the last one is older than {@link #MAX_AGE}. */
    synchronized void refreshIfStale() {
        long now = System.nanoTime();
        if (latest != null && now - sampledAtNanos < MAX_AGE.toNanos()) {
            return;
        }
        SystemSnapshot snapshot = probe.snapshot();
        List<DiskUsage> disks = snapshot.disks();
        // overwrite = true: a mount that went away loses its series.
        diskUsed.register(disks.stream()
                .map(disk -> MultiGauge.Row.of(Tags.of("mount", disk.mount()), disk.usedBytes()))
                .toList(), true);
        diskTotal.register(disks.stream()
                .map(disk -> MultiGauge.Row.of(Tags.of("mount", disk.mount()), disk.totalBytes()))
                .toList(), true);
        latest = snapshot;
        sampledAtNanos = now;
    }

    private void gauge(MeterRegistry registry, String name, String description,
                       ToDoubleFunction<SystemSnapshot> value) {
        Gauge.builder(name, this, gauges -> value.applyAsDouble(gauges.latest))
                .description(description)
                .register(registry);
    }
}
