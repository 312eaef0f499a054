package io.mamos.orchestrator.e2e;

/**
 * The Temporal server a {@link MamosStack} runs against: the dev server ({@link TemporalDevServer})
 * or the project's cluster ({@link TemporalCluster}).
 */
interface TemporalService extends AutoCloseable {

    /** host:port of the frontend, for Temporal clients and workers. */
    String target();

    /** The CLI pointed at this server. */
    TemporalCli cli();

    /** The end of this server's logs, for a failing test to print. */
    String logTail(int lines);

    @Override
    void close();
}
