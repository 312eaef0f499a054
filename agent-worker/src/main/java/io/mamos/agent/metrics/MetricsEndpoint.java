package io.mamos.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format, on the JDK's own HTTP server: one thread,
 * no framework, nothing else served.
 */
final class MetricsEndpoint implements AutoCloseable {

    static final String PATH = "/metrics";

    /** Prometheus text exposition format 0.0.4, what {@link PrometheusMeterRegistry#scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);

    private final HttpServer server;
    private final PrometheusMeterRegistry registry;

    private MetricsEndpoint(HttpServer server, PrometheusMeterRegistry registry) {
        this.server = server;
        this.registry = registry;
    }

    /**
     * Binds the address; {@link #start} then serves it.
     *
     * @throws IOException if the address cannot be bound (in use, not local)
     */
    static MetricsEndpoint bind(MetricsAddress address, PrometheusMeterRegistry registry) throws IOException {
        InetSocketAddress bind = address.host().isEmpty()
                ? new InetSocketAddress(address.port())
                : new InetSocketAddress(address.host(), address.port());
        return new MetricsEndpoint(HttpServer.create(bind, 0), registry);
    }

    /** @param beforeScrape runs before each scrape (refreshes sampled gauges) */
    void start(Runnable beforeScrape) {
        server.createContext(PATH, exchange -> {
            try {
                respond(exchange, registry, beforeScrape);
            } catch (RuntimeException e) {
                log.warn("serving {} failed", PATH, e);
                if (exchange.getResponseCode() == -1) {
                    exchange.sendResponseHeaders(500, -1);
                }
            } catch (IOException e) {
                // The scraper hung up; it will come back.
                log.debug("serving {} failed: {}", PATH, e.toString());
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private static void respond(HttpExchange exchange, PrometheusMeterRegistry registry, Runnable beforeScrape)
            throws IOException {
        String method = exchange.getRequestMethod();
        if (!exchange.getRequestURI().getPath().equals(PATH)) {
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            exchange.sendResponseHeaders(405, -1);
            return;
        }
        beforeScrape.run();
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The bound address; its port is the real one when 0 was asked for. */
    InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
