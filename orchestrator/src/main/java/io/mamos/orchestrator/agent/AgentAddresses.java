package io.mamos.orchestrator.agent;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Where each agent connects from, as this orchestrator saw it (its enrollment and its calls
 * with its own credential), not as the agent says: that host is what Prometheus discovery
 * hands out, so a forged report cannot point the scraper at another machine.
 */
@Repository
public class AgentAddresses {

    private final JdbcTemplate jdbc;

    AgentAddresses(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records {@code address} (the peer of an authenticated call by {@code agentId}); writes only on change. */
    public void record(String agentId, String address) {
        if (address == null || address.isBlank()) {
            return;
        }
        jdbc.update("UPDATE agents SET address = ? WHERE id = ? AND (address IS NULL OR address <> ?)", address,
                agentId, address);
    }

    /** Agent id to the address it connects from, for agents whose address is known. */
    public Map<String, String> all() {
        Map<String, String> addresses = new HashMap<>();
        jdbc.query("SELECT id, address FROM agents WHERE address IS NOT NULL",
                row -> {
                    addresses.put(row.getString(1), row.getString(2));
                });
        return addresses;
    }
}
