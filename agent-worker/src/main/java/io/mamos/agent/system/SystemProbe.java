package io.mamos.agent.system;

import io.mamos.agent.AgentVersion;
import io.mamos.agent.enroll.HostFacts;
import io.mamos.workflows.DiskUsage;
import io.mamos.workflows.SystemSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.CentralProcessor.TickType;
import oshi.hardware.GlobalMemory;
import oshi.software.os.OSFileStore;
import oshi.software.os.OperatingSystem;

/**
 * Takes {@link SystemSnapshot}s of this host for liveness heartbeats and {@code /metrics}.
 * Facts that never change (names, CPU model and count) are read once; one OSHI instance is
 * reused, so a snapshot costs a few reads of {@code /proc} and one {@code statvfs} per disk.
 * Thread-safe.
 */
public final class SystemProbe {

    /**
     * File-system types that hold no disk space of their own: memory-backed, kernel views,
     * container layers and read-only images. OSHI already drops most kernel views, not tmpfs.
     */
    static final Set<String> VIRTUAL_TYPES = Set.of(
            "tmpfs", "ramfs", "devtmpfs", "devfs", "overlay", "overlayfs", "aufs", "squashfs", "proc",
            "procfs", "sysfs", "cgroup", "cgroup2", "devpts", "mqueue", "debugfs", "tracefs", "securityfs",
            "pstore", "bpf", "autofs", "configfs", "fusectl", "hugetlbfs", "binfmt_misc", "efivarfs",
            "rpc_pipefs", "nsfs", "nfsd", "selinuxfs", "fuse.lxcfs", "iso9660");

    /**
     * CPU usage is measured "since the previous call", and liveness and {@code /metrics} both
     * call; a window shorter than this would be noise, so such a call reuses the last value.
     */
    private static final long MIN_CPU_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final CentralProcessor processor;
    private final GlobalMemory memory;
    private final OperatingSystem os;
    private final IntSupplier runningJobs;
    private final String metricsAddress;

    private final String hostname;
    private final String osFamily;
    private final String osVersion;
    private final String cpuModel;
    private final int cpuCount;

    private long[] previousTicks;
    private long previousTicksAtNanos;
    private double cpuUsage = -1;

    /**
     * @param runningJobs    how many commands run right now
     * @param metricsAddress {@code host:port} of this agent's {@code /metrics}, or null when disabled
     */
    public SystemProbe(IntSupplier runningJobs, String metricsAddress) {
        SystemInfo system = new SystemInfo();
        this.processor = system.getHardware().getProcessor();
        this.memory = system.getHardware().getMemory();
        this.os = system.getOperatingSystem();
        this.runningJobs = runningJobs;
        this.metricsAddress = metricsAddress;
        this.hostname = HostFacts.detect(null).hostname();
        this.osFamily = os.getFamily();
        this.osVersion = os.getVersionInfo().toString();
        this.cpuModel = processor.getProcessorIdentifier().getName().trim();
        this.cpuCount = processor.getLogicalProcessorCount();
        this.previousTicks = processor.getSystemCpuLoadTicks();
        this.previousTicksAtNanos = System.nanoTime();
    }

    /** A fresh snapshot; CPU usage covers the time since the previous call (at least a second). */
    public synchronized SystemSnapshot snapshot() {
        long total = memory.getTotal();
        double load1 = processor.getSystemLoadAverage(1)[0];
        return new SystemSnapshot(
                hostname,
                osFamily,
                osVersion,
                cpuModel,
                cpuCount,
                cpuUsage(),
                load1 < 0 ? -1 : load1,
                total - memory.getAvailable(),
                total,
                disks(),
                os.getSystemUptime(),
                AgentVersion.current(),
                runningJobs.getAsInt(),
                metricsAddress,
                System.currentTimeMillis(),
                // The agent polls its liveness queue (AgentWorker).
                true);
    }

    private double cpuUsage() {
        long now = System.nanoTime();
        if (cpuUsage >= 0 && now - previousTicksAtNanos < MIN_CPU_WINDOW_NANOS) {
            return cpuUsage;
        }
        long[] ticks = processor.getSystemCpuLoadTicks();
        long all = 0;
        for (int i = 0; i < ticks.length; i++) {
            all += ticks[i] - previousTicks[i];
        }
        long idle = ticks[TickType.IDLE.getIndex()] - previousTicks[TickType.IDLE.getIndex()]
                + ticks[TickType.IOWAIT.getIndex()] - previousTicks[TickType.IOWAIT.getIndex()];
        if (all > 0) {
            cpuUsage = Math.min(1.0, Math.max(0.0, (double) (all - idle) / all));
            previousTicks = ticks;
            previousTicksAtNanos = now;
        } else if (cpuUsage < 0) {
            // The kernel's tick counters have not moved yet (OSHI caches them for a moment).
            cpuUsage = 0;
        }
        return cpuUsage;
    }

    private List<DiskUsage> disks() {
        List<FileStore> stores = new ArrayList<>();
        for (OSFileStore store : os.getFileSystem().getFileStores(true)) {
            stores.add(new FileStore(store.getVolume(), store.getMount(), store.getType(),
                    store.getTotalSpace(), store.getFreeSpace()));
        }
        return realDisks(stores);
    }

    /**
     * Keeps file systems that hold disk space, one per volume: a device mounted (or bind-mounted)
     * at several places is counted once, under its shortest mount path.
     */
    static List<DiskUsage> realDisks(List<FileStore> stores) {
        Map<String, FileStore> byVolume = new LinkedHashMap<>();
        for (FileStore store : stores) {
            if (store.totalBytes() <= 0 || VIRTUAL_TYPES.contains(store.type().toLowerCase(Locale.ROOT))) {
                continue;
            }
            byVolume.merge(store.volume(), store,
                    (kept, other) -> other.mount().length() < kept.mount().length() ? other : kept);
        }
        return byVolume.values().stream()
                .sorted(Comparator.comparing(FileStore::mount))
                .map(store -> new DiskUsage(store.mount(), store.type(),
                        store.totalBytes() - store.freeBytes(), store.totalBytes()))
                .toList();
    }

    /** The part of an OSHI file store the snapshot needs. */
    record FileStore(String volume, String mount, String type, long totalBytes, long freeBytes) {
    }
}
