package io.mamos.workflows;

/** Space on one real (not virtual) file system of an agent's host. */
public record DiskUsage(String mount, String type, long usedBytes, long totalBytes) {
}
