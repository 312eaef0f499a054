package io.mamos.orchestrator.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    private final TrustedProxies proxies = new TrustedProxies(List.of("10.1.0.0/16", "::1"));

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        assertThat(proxies.clientAddress("192.0.2.1", List.of("203.0.113.5"))).isEqualTo("192.0.2.1");
    }

    @Test
    void trustedPeerNamesTheClient() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress("::1", List.of("2001:db8::7"))).isEqualTo("2001:db8::7");
    }

    @Test
    void whatTheClientPrependedIsNotBelievedPastTheFirstUntrustedHop() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.1, 203.0.113.5"))).isEqualTo("203.0.113.5");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("198.51.100.1", "203.0.113.5, 10.1.9.9")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void aGarbledOrHostNameEntryIsNeverResolvedAndLeavesTheLastReadableHop() {
        assertThat(proxies.clientAddress("10.1.2.3", List.of("evil.example"))).isEqualTo("10.1.2.3");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("999.1.1.1"))).isEqualTo("10.1.2.3");
        assertThat(proxies.clientAddress("10.1.2.3", List.of("203.0.113.5, junk"))).isEqualTo("10.1.2.3");
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClient() {
        assertThat(new TrustedProxies(List.of()).clientAddress("127.0.0.1", List.of("203.0.113.5")))
                .isEqualTo("127.0.0.1");
    }
}
