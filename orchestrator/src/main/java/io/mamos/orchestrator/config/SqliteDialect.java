package io.mamos.orchestrator.config;

import java.util.Optional;
import org.springframework.data.jdbc.core.dialect.DialectResolver;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.dialect.AbstractDialect;
import org.springframework.data.relational.core.dialect.Dialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.LockOptions;
import org.springframework.jdbc.core.JdbcOperations;

/** Spring Data JDBC has no SQLite dialect of its own; this one renders SQLite's LIMIT/OFFSET. */
public class SqliteDialect extends AbstractDialect implements JdbcDialect {

    public static final SqliteDialect INSTANCE = new SqliteDialect();

    private static final LimitClause LIMIT = new LimitClause() {
        @Override
        public String getLimit(long limit) {
            return "LIMIT " + limit;
        }

        @Override
        public String getOffset(long offset) {
            return "LIMIT -1 OFFSET " + offset;
        }

        @Override
        public String getLimitOffset(long limit, long offset) {
            return "LIMIT " + limit + " OFFSET " + offset;
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    /** SQLite locks the whole database for a write transaction; there is no row lock to ask for. */
    private static final LockClause LOCK = new LockClause() {
        @Override
        public String getLock(LockOptions lockOptions) {
            return "";
        }

        @Override
        public Position getClausePosition() {
            return Position.AFTER_ORDER_BY;
        }
    };

    @Override
    public LimitClause limit() {
        return LIMIT;
    }

    @Override
    public LockClause lock() {
        return LOCK;
    }

    @Override
    public IdentifierProcessing getIdentifierProcessing() {
        return IdentifierProcessing.create(IdentifierProcessing.Quoting.ANSI, IdentifierProcessing.LetterCasing.LOWER_CASE);
    }

    /** Registered in {@code META-INF/spring.factories}; picks this dialect for SQLite connections. */
    public static class Provider implements DialectResolver.JdbcDialectProvider {
        @Override
        public Optional<Dialect> getDialect(JdbcOperations operations) {
            String product = operations.execute((java.sql.Connection connection) ->
                    connection.getMetaData().getDatabaseProductName());
            return product != null && product.toLowerCase().contains("sqlite") ? Optional.of(INSTANCE) : Optional.empty();
        }
    }
}
