package io.mamos.orchestrator.schedule;

import java.time.Instant;
import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

/** A recurring job's definition; Temporal's schedule {@code schedule-<id>} fires it. */
@Table("schedules")
record Schedule(@Id String id, String name, String cron, String jobJson, String createdBy, Instant createdAt) {
}
