package io.mamos.orchestrator.web;

import io.mamos.orchestrator.config.MamosProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.util.matcher.IpAddressMatcher;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The client's real address behind a configured reverse proxy ({@code mamos.http.trusted-proxies},
 * typically the dashboard's server, which calls the API for every signed-in user). Only when the
 * direct peer is one of those proxies is {@code X-Forwarded-For} read: walking it from the right,
 * the first hop that is not itself a trusted proxy is the client. From then on
 * {@code getRemoteAddr()} answers that address, so rate limits and the audit log see the browser
 * and not the proxy. Anyone else's {@code X-Forwarded-For} is ignored: it is whatever they typed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class TrustedProxies extends OncePerRequestFilter {

    static final String FORWARDED_FOR = "X-Forwarded-For";

    /** IP literals only: nothing from a header may make us resolve a host name. */
    private static final Pattern IPV4 = Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
            + "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final List<IpAddressMatcher> proxies;

    @Autowired
    TrustedProxies(MamosProperties properties) {
        this(properties.http().trustedProxies());
    }

    TrustedProxies(List<String> trusted) {
        this.proxies = trusted.stream()
                .map(String::strip)
                .filter(proxy -> !proxy.isEmpty())
                .map(IpAddressMatcher::new)
                .toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String client = clientAddress(request.getRemoteAddr(), Collections.list(request.getHeaders(FORWARDED_FOR)));
        chain.doFilter(client.equals(request.getRemoteAddr()) ? request : new ForwardedRequest(request, client),
                response);
    }

    /** The client behind {@code peer}: the peer itself unless it is a trusted proxy that named one. */
    String clientAddress(String peer, List<String> forwardedFor) {
        if (proxies.isEmpty() || !trusted(peer)) {
            return peer;
        }
        List<String> hops = new ArrayList<>();
        for (String header : forwardedFor) {
            for (String hop : header.split(",")) {
                hops.add(hop.strip());
            }
        }
        String client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!isIpLiteral(hop)) {
                break; // a garbled entry: the last hop we could read stands
            }
            client = hop;
            if (!trusted(hop)) {
                break;
            }
        }
        return client;
    }

    private boolean trusted(String address) {
        if (!isIpLiteral(address)) {
            return false;
        }
        for (IpAddressMatcher proxy : proxies) {
            try {
                if (proxy.matches(address)) {
                    return true;
                }
            } catch (IllegalArgumentException unreadable) {
                return false;
            }
        }
        return false;
    }

    static boolean isIpLiteral(String value) {
        return value != null && (IPV4.matcher(value).matches() || (value.indexOf(':') >= 0
                && IPV6.matcher(value).matches()));
    }

    private static final class ForwardedRequest extends HttpServletRequestWrapper {

        private final String client;

        ForwardedRequest(HttpServletRequest request, String client) {
            super(request);
            this.client = client;
        }

        @Override
        public String getRemoteAddr() {
            return client;
        }

        @Override
        public String getRemoteHost() {
            return client;
        }
    }
}
