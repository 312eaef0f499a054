package io.mamos.orchestrator.monitoring;

import io.mamos.orchestrator.config.DataDirectory;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.springframework.stereotype.Component;

/**
 * The bearer token Prometheus presents to the service-discovery endpoint. Generated on first
 * start into {@code <data-dir>/prometheus-sd-token} (0600) for Prometheus's {@code credentials_file}.
 */
@Component
public class ScrapeToken {

    public static final String PATH = "/api/v1/prometheus/targets";
    public static final String FILE = "prometheus-sd-token";

    private final byte[] expected;

    ScrapeToken(MamosProperties properties) {
        var file = DataDirectory.ensure(properties.dataDir()).resolve(FILE);
        String token = DataDirectory.readOrCreateSecret(file, () -> Secrets.generate("mamos_sd_"));
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    }

    /** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
    boolean matches(String authorization) {
        return authorization != null
                && MessageDigest.isEqual(expected, authorization.strip().getBytes(StandardCharsets.UTF_8));
    }
}
