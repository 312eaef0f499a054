package io.mamos.workflows;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Space on one real (not virtual) file system of an agent's host. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskUsage(String mount, String type, long usedBytes, long totalBytes) {
}
