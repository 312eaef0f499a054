package io.mamos.agent.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mamos.agent.system.SystemProbe.FileStore;
import io.mamos.workflows.DiskUsage;
import io.mamos.workflows.SystemSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemProbeTest {

    private static final long GIB = 1024L * 1024 * 1024;

    private final SystemProbe probe = new SystemProbe(() -> 3, "agent-host:9101");

    @Test
    void memoryTotalMatchesProcMeminfo() throws IOException {
        long memTotalKib = Files.readAllLines(Path.of("/proc/meminfo")).stream()
                .filter(line -> line.startsWith("MemTotal:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow();

        SystemSnapshot snapshot = probe.snapshot();

        assertThat((double) snapshot.memoryTotalBytes()).isCloseTo(memTotalKib * 1024.0, within(memTotalKib * 1024.0 / 100));
        assertThat(snapshot.memoryUsedBytes()).isPositive().isLessThanOrEqualTo(snapshot.memoryTotalBytes());
    }

    @Test
    void countsAtLeastTheCpusTheJvmMayUse() {
        assertThat(probe.snapshot().cpuCount()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void reportsRealDisksOnlyAndEachMountOnce() {
        List<DiskUsage> disks = probe.snapshot().disks();

        assertThat(disks).isNotEmpty();
        assertThat(disks).extracting(DiskUsage::type)
                .noneMatch(type -> SystemProbe.VIRTUAL_TYPES.contains(type.toLowerCase()));
        assertThat(disks).extracting(DiskUsage::mount).doesNotHaveDuplicates();
        assertThat(disks).allSatisfy(disk -> {
            assertThat(disk.totalBytes()).isPositive();
            assertThat(disk.usedBytes()).isBetween(0L, disk.totalBytes());
        });
    }

    @Test
    void measuresCpuUsageAsAShareBetweenCalls() throws InterruptedException {
        probe.snapshot();
        Thread.sleep(1100);

        SystemSnapshot snapshot = probe.snapshot();

        assertThat(snapshot.cpuUsage()).isBetween(0.0, 1.0);
        assertThat(snapshot.loadAverage1m()).satisfiesAnyOf(
                load -> assertThat(load).isGreaterThanOrEqualTo(0.0),
                load -> assertThat(load).isEqualTo(-1.0));
    }

    @Test
    void describesTheHostAndTheAgent() {
        long before = System.currentTimeMillis();

        SystemSnapshot snapshot = probe.snapshot();

        assertThat(snapshot.hostname()).isNotBlank();
        assertThat(snapshot.os()).isNotBlank();
        assertThat(snapshot.osVersion()).isNotBlank();
        assertThat(snapshot.cpuModel()).isNotBlank();
        assertThat(snapshot.uptimeSeconds()).isPositive();
        assertThat(snapshot.agentVersion()).isNotBlank();
        assertThat(snapshot.runningJobs()).isEqualTo(3);
        assertThat(snapshot.metricsAddress()).isEqualTo("agent-host:9101");
        assertThat(snapshot.capturedAtMillis()).isGreaterThanOrEqualTo(before);
    }

    @Test
    void skipsVirtualFileSystemsAndCountsABindMountedVolumeOnce() {
        List<DiskUsage> disks = SystemProbe.realDisks(List.of(
                new FileStore("/dev/sda1", "/etc/hosts", "ext4", 100 * GIB, 40 * GIB),
                new FileStore("/dev/sda1", "/", "ext4", 100 * GIB, 40 * GIB),
                new FileStore("tmpfs", "/tmp", "tmpfs", 8 * GIB, 8 * GIB),
                new FileStore("overlay", "/var/lib/docker/overlay2/x/merged", "overlay", 100 * GIB, 40 * GIB),
                new FileStore("/dev/loop3", "/snap/core/1", "squashfs", GIB, 0),
                new FileStore("/dev/sdb1", "/data", "xfs", 500 * GIB, 100 * GIB),
                new FileStore("empty", "/mnt/empty", "ext4", 0, 0)));

        assertThat(disks).containsExactly(
                new DiskUsage("/", "ext4", 60 * GIB, 100 * GIB),
                new DiskUsage("/data", "xfs", 400 * GIB, 500 * GIB));
    }
}
