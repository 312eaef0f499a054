package io.mamos.orchestrator.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the orchestrator keeps its state ({@code mamos.store.*}). Without a URL it is the
 * embedded SQLite file {@code mamos.db} in the data folder; a {@code jdbc:postgresql://} URL
 * selects PostgreSQL, the store of a production deployment and of several orchestrators.
 *
 * @param url            JDBC URL of a PostgreSQL database; unset for the embedded SQLite file
 * @param username       PostgreSQL user
 * @param password       that user's password (prefer {@code passwordFile}: an environment variable
 *                       is visible to whoever can read the process's environment)
 * @param passwordFile   file holding the password (trailing newline ignored), e.g. a mounted secret
 * @param maximumPoolSize connections to PostgreSQL; SQLite uses a fixed small pool (one writer)
 */
@ConfigurationProperties("mamos.store")
public record StoreProperties(
        String url,
        String username,
        String password,
        Path passwordFile,
        @DefaultValue("16") int maximumPoolSize) {

    static final String POSTGRESQL_PREFIX = "jdbc:postgresql:";

    public StoreProperties {
        if (url != null && url.isBlank()) {
            url = null;
        }
        if (url != null && !url.startsWith(POSTGRESQL_PREFIX)) {
            throw new IllegalArgumentException("mamos.store.url must be a PostgreSQL JDBC URL (" + POSTGRESQL_PREFIX
                    + "//host:port/database), or unset for the embedded SQLite store; got a URL starting "
                    + url.substring(0, Math.min(url.length(), POSTGRESQL_PREFIX.length())));
        }
        if (password != null && passwordFile != null) {
            throw new IllegalArgumentException("set mamos.store.password or mamos.store.password-file, not both");
        }
        if (maximumPoolSize < 1) {
            throw new IllegalArgumentException("mamos.store.maximum-pool-size must be at least 1");
        }
    }

    /** True when the store is PostgreSQL, false for the embedded SQLite file. */
    public boolean postgresql() {
        return url != null;
    }
}
