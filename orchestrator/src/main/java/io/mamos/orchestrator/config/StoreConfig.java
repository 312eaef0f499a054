package io.mamos.orchestrator.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.convert.JdbcCustomConversions;

/**
 * The store is one SQLite file in the data folder, in WAL mode so readers never block the
 * writer. Timestamps are stored as epoch milliseconds.
 */
@Configuration(proxyBeanMethods = false)
public class StoreConfig {

    @Bean
    DataSource dataSource(MamosProperties properties) {
        var file = DataDirectory.ensure(properties.dataDir()).resolve("mamos.db").toAbsolutePath();
        var config = new HikariConfig();
        config.setPoolName("mamos-store");
        config.setJdbcUrl("jdbc:sqlite:" + file
                + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true");
        // SQLite has one writer at a time; a small pool avoids piling up on its lock.
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @Bean
    JdbcCustomConversions jdbcCustomConversions() {
        return new JdbcCustomConversions(List.of(new InstantToMillis(), new MillisToInstant(), new IntegerToBoolean()));
    }

    @WritingConverter
    static class InstantToMillis implements Converter<Instant, Long> {
        @Override
        public Long convert(Instant source) {
            return source.toEpochMilli();
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
