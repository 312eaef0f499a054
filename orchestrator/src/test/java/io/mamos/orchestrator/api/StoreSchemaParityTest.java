package io.mamos.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One set of repositories serves both stores, so both migration folders must end in the same
 * tables with the same columns and indexes: SQLite's V1..V17 and later, PostgreSQL's baseline
 * and later, each migrated for real (a SQLite file, a database on a real PostgreSQL server).
 */
class StoreSchemaParityTest {

    @TempDir
    Path dir;

    @Test
    void sqliteAndPostgresqlMigrationsEndInTheSameTablesColumnsAndIndexes() throws SQLException {
        String sqlite = "jdbc:sqlite:" + dir.resolve("mamos.db");
        Flyway.configure().dataSource(sqlite, null, null).locations("classpath:db/migration/sqlite").load().migrate();
        TestPostgres server = TestPostgres.server();
        String postgresql = server.createDatabase("schema_parity");
        Flyway.configure().dataSource(postgresql, server.username(), server.password())
                .locations("classpath:db/migration/postgresql").load().migrate();

        Map<String, Set<String>> sqliteTables;
        Set<String> sqliteIndexes;
        try (Connection connection = DriverManager.getConnection(sqlite)) {
            sqliteTables = columns(connection, null);
            sqliteIndexes = indexes(connection, null, sqliteTables.keySet());
        }
        try (Connection connection = DriverManager.getConnection(postgresql, server.username(), server.password())) {
            Map<String, Set<String>> postgresqlTables = columns(connection, "public");
            assertThat(postgresqlTables).isEqualTo(sqliteTables);
            assertThat(indexes(connection, "public", postgresqlTables.keySet())).isEqualTo(sqliteIndexes);
        }
        assertThat(sqliteTables).containsKeys("agents", "jobs", "job_runs", "audit_events");
        assertThat(Files.exists(dir.resolve("mamos.db"))).isTrue();
    }

    private static Map<String, Set<String>> columns(Connection connection, String schema) throws SQLException {
        Map<String, Set<String>> tables = new TreeMap<>();
        try (var rs = connection.getMetaData().getColumns(null, schema, "%", "%")) {
            while (rs.next()) {
                String table = rs.getString("TABLE_NAME").toLowerCase();
                if (!table.startsWith("flyway_") && !table.startsWith("sqlite_")) {
                    tables.computeIfAbsent(table, t -> new TreeSet<>()).add(rs.getString("COLUMN_NAME").toLowerCase());
                }
            }
        }
        return tables;
    }

    /** Named indexes (not the ones a primary key or UNIQUE column makes implicitly), as table.name. */
    private static Set<String> indexes(Connection connection, String schema, Set<String> tables) throws SQLException {
        Set<String> names = new TreeSet<>();
        for (String table : tables) {
            try (var rs = connection.getMetaData().getIndexInfo(null, schema, table, false, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name != null && !name.startsWith("sqlite_autoindex") && !name.endsWith("_pkey")
                            && !name.endsWith("_key")) {
                        names.add(table + "." + name.toLowerCase());
                    }
                }
            }
        }
        return names;
    }
}
