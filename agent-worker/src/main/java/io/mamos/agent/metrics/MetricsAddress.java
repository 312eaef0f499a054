package io.mamos.agent.metrics;

import java.util.Locale;
import java.util.Optional;

/**
 * Where the agent serves {@code /metrics}: {@code host:port}, {@code [v6]:port} or {@code :port}
 * (all interfaces); {@code off} disables the endpoint.
 *
 * @param host the address to bind; empty for all interfaces
 * @param port the TCP port; 0 picks a free one
 */
public record MetricsAddress(String host, int port) {

    public static final String OFF = "off";

    public MetricsAddress {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, not " + port);
        }
    }

    /**
     * @return empty for {@code off}
     * @throws IllegalArgumentException if {@code value} is neither {@code off} nor {@code host:port}
     */
    public static Optional<MetricsAddress> parse(String value) {
        String trimmed = value == null ? "" : value.trim();
        if (trimmed.toLowerCase(Locale.ROOT).equals(OFF)) {
            return Optional.empty();
        }
        int colon = trimmed.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port or `off`, not '" + value + "'");
        }
        String host = trimmed.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("write an IPv6 address in brackets, like [::1]:9101, not '"
                    + value + "'");
        }
        try {
            return Optional.of(new MetricsAddress(host, Integer.parseInt(trimmed.substring(colon + 1))));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected host:port or `off`, not '" + value + "'", e);
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
