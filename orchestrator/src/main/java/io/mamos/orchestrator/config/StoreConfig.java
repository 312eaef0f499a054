package io.mamos.orchestrator.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.sql.JDBCType;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;
import org.springframework.data.jdbc.core.mapping.JdbcValue;

/**
 * The store: by default one SQLite file in the data folder, in WAL mode so readers never block
 * the writer; with {@code mamos.store.url} a PostgreSQL database (see {@link StoreProperties}).
 * Both have the same tables (Flyway: {@code db/migration/sqlite} and {@code db/migration/postgresql}),
 * timestamps stored as epoch milliseconds and flags as 0 and 1.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfig {

    @Bean
    DataSource dataSource(MamosProperties properties, StoreProperties store) {
        var config = new HikariConfig();
        config.setPoolName("mamos-store");
        if (store.postgresql()) {
            config.setJdbcUrl(store.url());
            config.setUsername(store.username());
            config.setPassword(password(store));
            config.setMaximumPoolSize(store.maximumPoolSize());
            return new HikariDataSource(config);
        }
        var file = DataDirectory.ensure(properties.dataDir()).resolve("mamos.db").toAbsolutePath();
        config.setJdbcUrl("jdbc:sqlite:" + file
                + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true");
        // SQLite has one writer at a time; a small pool avoids piling up on its lock.
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @Bean
    StoreDialect storeDialect(StoreProperties store) {
        return store.postgresql() ? StoreDialect.POSTGRESQL : StoreDialect.SQLITE;
    }

    private static String password(StoreProperties store) {
        if (store.passwordFile() == null) {
            return store.password();
        }
        try {
            return Files.readString(store.passwordFile()).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read mamos.store.password-file " + store.passwordFile(), e);
        }
    }

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return new JdbcCustomConversions(List.of(new InstantToMillis(), new MillisToInstant(), new IntegerToBoolean()));
    }

    /**
     * Instants are written as epoch milliseconds, typed BIGINT: the driver is told the converted
     * value's type, not the property's (PostgreSQL's would otherwise read a timestamp).
     */
    @WritingConverter
    static class InstantToMillis implements Converter<Instant, JdbcValue> {
        @Override
        public JdbcValue convert(Instant source) {
            return JdbcValue.of(source.toEpochMilli(), JDBCType.BIGINT);
        }
    }

    /** SQLite has no boolean type; booleans are stored as 0 and 1. */
    @ReadingConverter
    static class IntegerToBoolean implements Converter<Integer, Boolean> {
        @Override
        public Boolean convert(Integer source) {
            return source != 0;
        }
    }

    @ReadingConverter
    static class MillisToInstant implements Converter<Long, Instant> {
        @Override
        public Instant convert(Long source) {
            return Instant.ofEpochMilli(source);
        }
    }
}
