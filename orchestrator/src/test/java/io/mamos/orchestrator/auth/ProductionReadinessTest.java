package io.mamos.orchestrator.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.mamos.orchestrator.OrchestratorApplication;
import io.mamos.orchestrator.config.DataDirectory;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.config.Secrets;
import io.mamos.orchestrator.monitoring.ScrapeToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.context.annotation.Configuration;

/**
 * {@code mamos.production=true} refuses weak or exposed secrets and insecure token settings.
 * Each bad setting is given to the real application, whose start must fail with a message that
 * names the problem and never contains the secret.
 */
class ProductionReadinessTest {

    private static final String STRONG_PASSWORD = "Vq7-tundra-Lx9-orbit-Kw2";

    @TempDir
    Path dataDir;

    @Test
    void shortBootstrapPasswordIsRefused() {
        assertStartRefused(Map.of("mamos.auth.bootstrap-admin-password", "Sh0rt-pw!"),
                "mamos.auth.bootstrap-admin-password is weak: shorter than 16 characters", "Sh0rt-pw!");
    }

    @Test
    void bootstrapPasswordWithACommonWordIsRefused() {
        assertStartRefused(Map.of("mamos.auth.bootstrap-admin-password", "MyPassword2024xyz!"),
                "mamos.auth.bootstrap-admin-password is weak: contains a commonly guessed word", "MyPassword2024xyz!");
    }

    @Test
    void bootstrapPasswordOfFewCharactersIsRefused() {
        assertStartRefused(Map.of("mamos.auth.bootstrap-admin-password", "abababababababababab"),
                "mamos.auth.bootstrap-admin-password is weak: fewer than 8 different characters", "abababababababababab");
    }

    @Test
    void longLivedAccessTokensAreRefused() {
        assertStartRefused(Map.of("mamos.auth.access-token-ttl", "12h"), "mamos.auth.access-token-ttl is longer than 60 minutes",
                null);
    }

    @Test
    void longLivedRefreshTokensAreRefused() {
        assertStartRefused(Map.of("mamos.auth.refresh-token-ttl", "365d"),
                "mamos.auth.refresh-token-ttl is longer than 30 days", null);
    }

    @Test
    void emptyIssuerIsRefused() {
        assertStartRefused(Map.of("mamos.auth.issuer", ""), "mamos.auth.issuer is empty", null);
    }

    @Test
    void plainHttpIdentityProviderIsRefused() {
        assertStartRefused(Map.of("mamos.auth.oidc.jwk-set-uri", "http://idp.example/certs"),
                "mamos.auth.oidc.jwk-set-uri is plain http", null);
    }

    @Test
    void wildcardLiveOriginIsRefused() {
        assertStartRefused(Map.of("mamos.live.allowed-origins", "*"), "mamos.live.allowed-origins contains a wildcard",
                null);
    }

    @Test
    void dataFolderOpenToOthersIsRefused() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertStartRefused(Map.of(), "the data folder " + dataDir + " is accessible to other users (rwxr-xr-x)", null);
    }

    @Test
    void signingKeyReadableByOthersIsRefused() throws Exception {
        new SigningKeys(properties(Map.of()));
        Path key = dataDir.resolve(SigningKeys.KEY_FILE);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

        assertStartRefused(Map.of(), "the secret file " + key + " is accessible to other users (rw-r--r--)",
                Files.readString(key).lines().skip(1).findFirst().orElseThrow());
    }

    @Test
    void weakSigningKeyIsRefused() throws Exception {
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(1024);
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(
                generator.generateKeyPair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----";
        DataDirectory.readOrCreateSecret(DataDirectory.ensure(dataDir).resolve(SigningKeys.KEY_FILE), () -> pem);

        assertStartRefused(Map.of(), "is shorter than 2048 bits", null);
    }

    @Test
    void shortPrometheusScrapeTokenIsRefused() {
        DataDirectory.readOrCreateSecret(DataDirectory.ensure(dataDir).resolve(ScrapeToken.FILE), () -> "scrape-me-123");

        assertStartRefused(Map.of(), "Prometheus scrape token in " + dataDir.resolve(ScrapeToken.FILE)
                + " is shorter than 32 characters", "scrape-me-123");
    }

    @Test
    void plaintextAgentGatewayBeyondLoopbackIsRefused() {
        assertStartRefused(Map.of("mamos.gateway.bind-address", "0.0.0.0"),
                "the agent gateway listens on 0.0.0.0 without TLS", null);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<String> problems = ProductionReadiness.problems(properties(Map.of(
                "mamos.auth.bootstrap-admin-password", "admin",
                "mamos.auth.access-token-ttl", "1d",
                "mamos.live.allowed-origins", "*",
                "mamos.gateway.bind-address", "127.0.0.1")));

        assertThat(problems).hasSize(3);
    }

    @Test
    void secretsAsAFirstStartCreatesThemAndAStrongPasswordPass() {
        new SigningKeys(properties(Map.of()));
        DataDirectory.readOrCreateSecret(dataDir.resolve(ScrapeToken.FILE), () -> Secrets.generate("mamos_sd_"));

        assertThatCode(() -> start(Map.of("mamos.auth.bootstrap-admin-password", STRONG_PASSWORD,
                "mamos.gateway.bind-address", "127.0.0.1"), Empty.class).close()).doesNotThrowAnyException();
    }

    @Test
    void outsideProductionNothingIsChecked() {
        assertThatCode(() -> start(Map.of("mamos.production", "false", "mamos.auth.bootstrap-admin-password", "admin",
                "mamos.auth.access-token-ttl", "1d"), Empty.class).close()).doesNotThrowAnyException();
    }

    private void assertStartRefused(Map<String, String> settings, String problem, String secret) {
        Throwable failure = catchThrowable(() -> start(settings, OrchestratorApplication.class).close());

        assertThat(failure).as("the start must fail").isNotNull();
        String messages = messages(failure);
        assertThat(messages).contains("refusing to start in production").contains(problem);
        if (secret != null) {
            assertThat(messages).doesNotContain(secret);
        }
    }

    private org.springframework.context.ConfigurableApplicationContext start(Map<String, String> settings,
            Class<?> source) {
        Map<String, String> all = new java.util.LinkedHashMap<>(Map.of("mamos.production", "true",
                "mamos.data-dir", dataDir.toString()));
        all.putAll(settings);
        List<String> properties = new ArrayList<>();
        all.forEach((key, value) -> properties.add(key + "=" + value));
        // As command-line arguments: they override application.yml, as an operator's settings do.
        return new SpringApplicationBuilder(source).web(WebApplicationType.NONE)
                .run(properties.stream().map(property -> "--" + property).toArray(String[]::new));
    }

    private MamosProperties properties(Map<String, String> settings) {
        var all = new java.util.HashMap<>(settings);
        all.put("mamos.data-dir", dataDir.toString());
        return new Binder(new MapConfigurationPropertySource(all)).bindOrCreate("mamos", MamosProperties.class);
    }

    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    /** An application with nothing in it: only the start-up checks run. */
    @Configuration(proxyBeanMethods = false)
    static class Empty {
    }
}
