package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.monitoring.ScrapeToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;

/**
 * With {@code mamos.production=true} the orchestrator refuses to start when a secret is weak or
 * exposed, the token configuration is insecure or the agent gateway would take credentials in the clear. It runs as soon as the configuration is
 * known, before anything is created or listens. Problems name the setting or file, never a value.
 */
public class ProductionReadiness implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    static final int MIN_PASSWORD_LENGTH = 16;
    static final int MIN_DISTINCT_PASSWORD_CHARS = 8;
    static final int MIN_SCRAPE_TOKEN_LENGTH = 32;
    static final Duration MAX_ACCESS_TOKEN_TTL = Duration.ofHours(1);
    static final Duration MAX_REFRESH_TOKEN_TTL = Duration.ofDays(30);
    static final List<String> WEAK_PASSWORD_WORDS =
            List.of("password", "passwort", "changeme", "admin", "mamos", "secret", "letmein", "qwerty", "123456");
    static final List<String> SECRET_FILES =
            List.of(SigningKeys.KEY_FILE, BootstrapAdmin.PASSWORD_FILE, ScrapeToken.FILE);

    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        MamosProperties properties = Binder.get(event.getEnvironment())
                .bindOrCreate("mamos", MamosProperties.class);
        if (!properties.production()) {
            return;
        }
        List<String> problems = problems(properties);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("refusing to start in production (mamos.production=true): "
                    + String.join("; ", problems));
        }
    }

    /** Everything that makes this configuration unfit for production; empty when it is fit. */
    static List<String> problems(MamosProperties properties) {
        List<String> problems = new ArrayList<>();
        var auth = properties.auth();
        String password = auth.bootstrapAdminPassword();
        if (password != null && !password.isEmpty()) {
            weakPassword(password).ifPresent(why ->
                    problems.add("mamos.auth.bootstrap-admin-password is weak: " + why));
        }
        if (auth.issuer() == null || auth.issuer().isBlank()) {
            problems.add("mamos.auth.issuer is empty");
        }
        if (auth.accessTokenTtl().compareTo(MAX_ACCESS_TOKEN_TTL) > 0) {
            problems.add("mamos.auth.access-token-ttl is longer than " + MAX_ACCESS_TOKEN_TTL.toMinutes()
                    + " minutes; a stolen access token would stay valid too long");
        }
        if (auth.refreshTokenTtl().compareTo(MAX_REFRESH_TOKEN_TTL) > 0) {
            problems.add("mamos.auth.refresh-token-ttl is longer than " + MAX_REFRESH_TOKEN_TTL.toDays() + " days");
        }
        for (var uri : java.util.Map.of("mamos.auth.oidc.issuer-uri", String.valueOf(auth.oidc().issuerUri()),
                "mamos.auth.oidc.jwk-set-uri", String.valueOf(auth.oidc().jwkSetUri())).entrySet()) {
            if (uri.getValue().startsWith("http://")) {
                problems.add(uri.getKey() + " is plain http; the provider's keys could be swapped in transit: use https");
            }
        }
        if (properties.live().allowedOrigins().stream().anyMatch(origin -> origin.contains("*"))) {
            problems.add("mamos.live.allowed-origins contains a wildcard; name the dashboard's origin");
        }
        var gateway = properties.gateway();
        if (gateway.enabled() && !gateway.tls().enabled() && !isLoopback(gateway.bindAddress())) {
            problems.add("the agent gateway listens on " + gateway.bindAddress() + " without TLS; agent credentials "
                    + "would cross the network in the clear: set mamos.gateway.tls.certificate-chain and "
                    + "mamos.gateway.tls.private-key, or bind it to loopback (mamos.gateway.bind-address)");
        }
        problems.addAll(dataDirectoryProblems(properties.dataDir()));
        return problems;
    }

    private static boolean isLoopback(String address) {
        return List.of("127.0.0.1", "::1", "[::1]", "localhost").contains(address);
    }

    static java.util.Optional<String> weakPassword(String password) {
        if (password.length() < MIN_PASSWORD_LENGTH) {
            return java.util.Optional.of("shorter than " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (password.chars().distinct().count() < MIN_DISTINCT_PASSWORD_CHARS) {
            return java.util.Optional.of("fewer than " + MIN_DISTINCT_PASSWORD_CHARS + " different characters");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        for (String word : WEAK_PASSWORD_WORDS) {
            if (lower.contains(word)) {
                return java.util.Optional.of("contains a commonly guessed word");
            }
        }
        return java.util.Optional.empty();
    }

    private static List<String> dataDirectoryProblems(Path dataDir) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dataDir)) {
            return problems; // first start: everything will be created owner-only
        }
        if (exposed(dataDir)) {
            problems.add("the data folder " + dataDir + " is accessible to other users (" + mode(dataDir)
                    + "); its secrets may have leaked: chmod 700 it and rotate them");
        }
        for (String name : SECRET_FILES) {
            Path file = dataDir.resolve(name);
            if (Files.isRegularFile(file) && exposed(file)) {
                problems.add("the secret file " + file + " is accessible to other users (" + mode(file)
                        + "): chmod 600 it and rotate it");
            }
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            files.filter(file -> file.getFileName().toString().endsWith(".pem") && Files.isRegularFile(file))
                    .filter(file -> !SECRET_FILES.contains(file.getFileName().toString()) && exposed(file))
                    .forEach(file -> problems.add("the key file " + file + " is accessible to other users ("
                            + mode(file) + "): chmod 600 it"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the data folder " + dataDir, e);
        }
        Path scrapeToken = dataDir.resolve(ScrapeToken.FILE);
        if (Files.isRegularFile(scrapeToken) && read(scrapeToken).length() < MIN_SCRAPE_TOKEN_LENGTH) {
            problems.add("the Prometheus scrape token in " + scrapeToken + " is shorter than "
                    + MIN_SCRAPE_TOKEN_LENGTH + " characters; delete the file and a strong one is generated");
        }
        Path signingKey = dataDir.resolve(SigningKeys.KEY_FILE);
        if (Files.isRegularFile(signingKey)
                && SigningKeys.parse(read(signingKey), signingKey).getModulus().bitLength() < SigningKeys.MIN_KEY_BITS) {
            problems.add("the JWT signing key in " + signingKey + " is shorter than " + SigningKeys.MIN_KEY_BITS
                    + " bits; delete the file and a 3072-bit one is generated");
        }
        return problems;
    }

    private static boolean exposed(Path path) {
        try {
            return Files.getPosixFilePermissions(path).stream().anyMatch(OTHERS::contains);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the permissions of " + path, e);
        }
    }

    private static String mode(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            return "unknown mode";
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
