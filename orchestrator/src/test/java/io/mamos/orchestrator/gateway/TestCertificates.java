package io.mamos.orchestrator.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for {@code localhost} and {@code 127.0.0.1}, made with the JDK's own
 * {@code keytool} (present wherever the tests run, unlike openssl), as the PEM files the gateway
 * is configured with and a PKCS12 trust store holding only the certificate, for a client JVM
 * ({@code -Djavax.net.ssl.trustStore}).
 *
 * @param certificateChain PEM certificate
 * @param privateKey       PEM PKCS#8 private key
 * @param trustStore       PKCS12 file with the certificate as its one trusted entry
 * @param trustStorePassword the trust store's password
 */
public record TestCertificates(Path certificateChain, Path privateKey, Path trustStore, String trustStorePassword) {

    private static final String ALIAS = "mamos-test-gateway";
    private static final String PASSWORD = "test-only-password";

    /** Makes the files in {@code dir} (created if needed). */
    public static TestCertificates selfSigned(Path dir) {
        try {
            Files.createDirectories(dir);
            Path keyStore = dir.resolve("gateway.p12");
            Files.deleteIfExists(keyStore);
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                    "-keystore", keyStore.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool could not make a test certificate: " + output);
            }
            KeyStore pair = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(keyStore)) {
                pair.load(in, PASSWORD.toCharArray());
            }
            Certificate certificate = pair.getCertificate(ALIAS);
            PrivateKey key = (PrivateKey) pair.getKey(ALIAS, PASSWORD.toCharArray());
            Path chain = Files.writeString(dir.resolve("gateway.pem"), pem("CERTIFICATE", certificate.getEncoded()));
            Path keyFile = Files.writeString(dir.resolve("gateway.key"), pem("PRIVATE KEY", key.getEncoded()));
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, certificate);
            Path trustStore = dir.resolve("trust.p12");
            try (OutputStream out = Files.newOutputStream(trustStore)) {
                trusted.store(out, PASSWORD.toCharArray());
            }
            return new TestCertificates(chain, keyFile, trustStore, PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** JVM options that make a client trust this certificate (and only it). */
    public String trustOptions() {
        return "-Djavax.net.ssl.trustStore=" + trustStore + " -Djavax.net.ssl.trustStorePassword=" + trustStorePassword
                + " -Djavax.net.ssl.trustStoreType=PKCS12";
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + kind + "-----\n";
    }
}
