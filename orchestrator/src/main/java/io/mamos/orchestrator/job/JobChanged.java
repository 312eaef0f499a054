package io.mamos.orchestrator.job;

/** Published inside the application whenever a job's stored state changes. */
public record JobChanged(String jobId) {
}
