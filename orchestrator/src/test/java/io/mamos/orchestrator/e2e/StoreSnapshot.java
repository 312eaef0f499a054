package io.mamos.orchestrator.e2e;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every row of the orchestrator's SQLite store, read straight from its file, as text: two
 * snapshots are equal when nothing but the append-only audit log and the liveness mirror's
 * refreshes ("last seen", snapshot, metric samples) changed in between.
 */
final class StoreSnapshot {

    /** Written by the liveness mirror on its own schedule, whatever the test does. */
    private static final Set<String> MIRRORED = Set.of("agents.last_seen_at", "agents.snapshot_json");
    private static final Set<String> SKIPPED_TABLES = Set.of("audit_events", "agent_metrics",
            "flyway_schema_history", "sqlite_sequence");

    private StoreSnapshot() {
    }

    static Map<String, List<String>> of(Path dataDir) {
        String url = "jdbc:sqlite:" + dataDir.resolve("mamos.db").toAbsolutePath() + "?open_mode=1";
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'"
                    + " ORDER BY name")) {
                while (rs.next()) {
                    if (!SKIPPED_TABLES.contains(rs.getString(1))) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            Map<String, List<String>> snapshot = new LinkedHashMap<>();
            for (String table : tables) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SELECT * FROM \"" + table + "\"")) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= columns; i++) {
                            String column = table + "." + rs.getMetaData().getColumnName(i);
                            if (!MIRRORED.contains(column)) {
                                row.append(rs.getMetaData().getColumnName(i)).append('=').append(rs.getString(i))
                                        .append(' ');
                            }
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(String::compareTo);
                snapshot.put(table, rows);
            }
            return snapshot;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store in " + dataDir, e);
        }
    }

    /** One value of one row, e.g. an agent's {@code liveness_run_id}. */
    static String value(Path dataDir, String sql, String parameter) {
        String url = "jdbc:sqlite:" + dataDir.resolve("mamos.db").toAbsolutePath() + "?open_mode=1";
        try (Connection connection = DriverManager.getConnection(url);
                var statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store in " + dataDir, e);
        }
    }
}
