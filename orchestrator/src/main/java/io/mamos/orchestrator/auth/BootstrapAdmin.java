package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.DataDirectory;
import io.mamos.orchestrator.config.MamosProperties;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.jdbc.core.JdbcAggregateTemplate;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * On first start there is no user: create {@code admin} with the configured password
 * ({@code mamos.auth.bootstrap-admin-password}) or else a random one written to a 0600 file in
 * the data folder. The password itself is never logged, only where it is.
 */
@Component
class BootstrapAdmin implements ApplicationRunner {

    static final String USERNAME = "admin";
    static final String PASSWORD_FILE = "admin-password";

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final MamosProperties properties;
    private final UserAccountRepository users;
    private final JdbcAggregateTemplate template;
    private final PasswordEncoder passwordEncoder;

    BootstrapAdmin(MamosProperties properties, UserAccountRepository users, JdbcAggregateTemplate template,
            PasswordEncoder passwordEncoder) {
        this.properties = properties;
        this.users = users;
        this.template = template;
        this.passwordEncoder = passwordEncoder;
    }

    @Override
    public void run(ApplicationArguments args) {
        var file = DataDirectory.ensure(properties.dataDir()).resolve(PASSWORD_FILE).toAbsolutePath();
        if (users.count() > 0) {
            return;
        }
        String configured = properties.auth().bootstrapAdminPassword();
        if (configured != null && !configured.isBlank()) {
            if (!insertUnlessRaced(configured)) {
                return;
            }
            log.info("created the bootstrap user '{}' with the configured password (mamos.auth.bootstrap-admin-password)",
                    USERNAME);
            return;
        }
        String password = DataDirectory.readOrCreateSecret(file, BootstrapAdmin::randomPassword);
        if (!insertUnlessRaced(password)) {
            return;
        }
        log.info("created the bootstrap user '{}'; its password is in {}", USERNAME, file);
    }

    /**
     * Inserts the bootstrap admin; false when another orchestrator on the same store (a replica
     * starting at the same time, sharing the data folder and so the password) inserted it first.
     */
    private boolean insertUnlessRaced(String password) {
        try {
            template.insert(new UserAccount(USERNAME, passwordEncoder.encode(password), Role.ADMIN, Instant.now()));
            return true;
        } catch (DataIntegrityViolationException raced) {
            if (users.existsById(USERNAME)) {
                log.info("the bootstrap user '{}' was created by another orchestrator on this store", USERNAME);
                return false;
            }
            throw raced;
        }
    }

    private static String randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
