package io.mamos.orchestrator.retention;

import io.mamos.orchestrator.audit.AuditLog;
import io.mamos.workflows.JobState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps the store bounded: deletes jobs that ended longer ago than {@code mamos.retention.jobs}
 * (with their runs and output), and archives then removes audit events older than
 * {@code mamos.retention.audit}. Runs on a thread of its own, a batch per transaction.
 */
@Component
public class Retention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private static final String TERMINAL = Arrays.stream(JobState.values()).filter(JobState::isTerminal)
            .map(state -> "'" + state.name() + "'").collect(Collectors.joining(", ", "(", ")"));

    private final RetentionProperties properties;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditArchive archive;
    private final AuditLog audit;
    private final Clock clock;
    private final Counter jobsPruned;
    private final Counter runsPruned;
    private final Counter auditArchived;
    private ScheduledExecutorService thread;

    Retention(RetentionProperties properties, JdbcClient jdbc, TransactionTemplate transactions, AuditArchive archive,
              AuditLog audit, MeterRegistry meters) {
        this.properties = properties;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.archive = archive;
        this.audit = audit;
        this.clock = Clock.systemUTC();
        this.jobsPruned = Counter.builder("mamos_retention_pruned").tag("kind", "jobs")
                .description("Rows removed from the store by retention").register(meters);
        this.runsPruned = Counter.builder("mamos_retention_pruned").tag("kind", "runs").register(meters);
        this.auditArchived = Counter.builder("mamos_retention_pruned").tag("kind", "audit_events").register(meters);
    }

    /** What one pass removed. */
    public record Pass(int jobs, int runs, int auditEvents, List<AuditArchive.Archived> archives) {
    }

    /** One pass now: everything older than the settings say, in batches. */
    public Pass runOnce() {
        Instant now = clock.instant();
        int jobs = 0;
        int runs = 0;
        Instant jobCutoff = now.minus(properties.jobs());
        while (true) {
            int[] batch = pruneJobBatch(jobCutoff);
            if (batch[0] == 0) {
                break;
            }
            jobs += batch[0];
            runs += batch[1];
        }
        List<AuditArchive.Archived> archives = new java.util.ArrayList<>();
        Instant auditCutoff = now.minus(properties.audit());
        for (AuditArchive.Archived a; (a = archive.archiveBefore(auditCutoff, properties.batchSize())) != null; ) {
            archives.add(a);
        }
        int events = archives.stream().mapToInt(AuditArchive.Archived::count).sum();
        jobsPruned.increment(jobs);
        runsPruned.increment(runs);
        auditArchived.increment(events);
        if (jobs > 0 || events > 0) {
            log.info("retention: deleted {} job(s) that ended before {} with {} run(s); archived {} audit event(s) "
                    + "older than {} to {}", jobs, jobCutoff, runs, events, auditCutoff,
                    archives.stream().map(a -> a.file().getFileName().toString()).toList());
            audit.record("system", "retention.pruned", null, "jobs=" + jobs + " runs=" + runs + " auditEvents=" + events
                    + (archives.isEmpty() ? "" : " archives=" + archives.stream()
                    .map(a -> a.file().getFileName() + "@sha256:" + a.sha256()).toList()));
        }
        return new Pass(jobs, runs, events, archives);
    }

    /** Deletes one batch of old finished jobs and their runs; answers {jobs, runs}. */
    private int[] pruneJobBatch(Instant cutoff) {
        return transactions.execute(status -> {
            List<String> ids = jdbc.sql("SELECT id FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? "
                    + "AND state IN " + TERMINAL + " ORDER BY finished_at LIMIT ?")
                    .params(cutoff.toEpochMilli(), properties.batchSize()).query(String.class).list();
            if (ids.isEmpty()) {
                return new int[] {0, 0};
            }
            int runs = jdbc.sql("DELETE FROM job_runs WHERE job_id IN (:ids)").param("ids", ids).update();
            int jobs = jdbc.sql("DELETE FROM jobs WHERE id IN (:ids)").param("ids", ids).update();
            return new int[] {jobs, runs};
        });
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            log.info("retention is off (mamos.retention.enabled=false): jobs and audit events are kept for ever");
            return;
        }
        thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "mamos-retention");
            t.setDaemon(true);
            return t;
        });
        long period = properties.interval().toMillis();
        thread.scheduleWithFixedDelay(this::runSafely, Math.min(period, 60_000), period, TimeUnit.MILLISECONDS);
        log.info("retention: finished jobs kept {}, audit events {} (then archived), a pass every {}",
                properties.jobs(), properties.audit(), properties.interval());
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (RuntimeException e) {
            // The next pass retries; nothing was deleted that was not archived first.
            log.warn("retention pass failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
