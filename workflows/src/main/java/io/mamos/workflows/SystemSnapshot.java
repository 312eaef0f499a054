package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What an agent reports about its host with every liveness heartbeat.
 *
 * @param cpuUsage        share of all CPUs busy since the previous snapshot, 0..1
 * @param loadAverage1m   the 1-minute load average ({@code -1} where the OS has none)
 * @param metricsAddress  {@code host:port} of the agent's Prometheus endpoint, or null when disabled
 * @param capturedAtMillis epoch millis on the agent's clock
 * @param livenessQueue   true when the agent polls its liveness queue ({@link TaskQueues#livenessForAgent});
 *                        absent (null) from agents older than that queue and in snapshots stored before it
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemSnapshot(
        String hostname,
        String os,
        String osVersion,
        String cpuModel,
        int cpuCount,
        double cpuUsage,
        double loadAverage1m,
        long memoryUsedBytes,
        long memoryTotalBytes,
        List<DiskUsage> disks,
        long uptimeSeconds,
        String agentVersion,
        int runningJobs,
        String metricsAddress,
        long capturedAtMillis,
        Boolean livenessQueue) {

    public SystemSnapshot {
        disks = disks == null ? List.of() : List.copyOf(disks);
    }

    /** Whether the agent says it polls its liveness queue; no answer means it does not. */
    public boolean pollsLivenessQueue() {
        return Boolean.TRUE.equals(livenessQueue);
    }
}
