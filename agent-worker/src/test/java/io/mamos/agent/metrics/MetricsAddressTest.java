package io.mamos.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class MetricsAddressTest {

    @Test
    void parsesHostAndPort() {
        assertThat(MetricsAddress.parse("0.0.0.0:9101")).contains(new MetricsAddress("0.0.0.0", 9101));
        assertThat(MetricsAddress.parse("[::1]:9101")).contains(new MetricsAddress("::1", 9101));
        assertThat(MetricsAddress.parse(":9101")).contains(new MetricsAddress("", 9101));
    }

    @Test
    void offDisablesMetrics() {
        assertThat(MetricsAddress.parse("off")).isEmpty();
        assertThat(MetricsAddress.parse(" OFF ")).isEmpty();
    }

    @Test
    void rejectsWhatIsNotAnAddress() {
        assertThatThrownBy(() -> MetricsAddress.parse("9101")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsAddress.parse("host:http")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsAddress.parse("host:70000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricsAddress.parse("::1:9101")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void advertisesTheHostnameForAWildcardBind() throws Exception {
        assertThat(AgentMetrics.advertise(new InetSocketAddress(9101), "agent-host")).isEqualTo("agent-host:9101");
        assertThat(AgentMetrics.advertise(new InetSocketAddress(InetAddress.getByName("10.0.0.7"), 9101), "x"))
                .isEqualTo("10.0.0.7:9101");
    }
}
