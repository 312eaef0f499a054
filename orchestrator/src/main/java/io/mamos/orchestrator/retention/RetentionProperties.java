package io.mamos.orchestrator.retention;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long finished jobs and audit events are kept ({@code mamos.retention.*}).
 *
 * @param jobs      a finished job (and its runs and their output) is deleted this long after it ended;
 *                  jobs that have not ended are never deleted
 * @param audit     an audit event is archived to a file and then removed from the store this long after it
 *                  was recorded
 * @param interval  how often a retention pass runs
 * @param batchSize rows deleted per transaction, so a pass never holds the store's write lock for long
 * @param enabled   false keeps everything for ever
 */
@ConfigurationProperties("mamos.retention")
public record RetentionProperties(
        @DefaultValue("30d") Duration jobs,
        @DefaultValue("365d") Duration audit,
        @DefaultValue("1h") Duration interval,
        @DefaultValue("500") int batchSize,
        @DefaultValue("true") boolean enabled) {
}
