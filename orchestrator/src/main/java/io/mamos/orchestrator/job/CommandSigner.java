package io.mamos.orchestrator.job;

import io.mamos.orchestrator.config.DataDirectory;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.workflows.AwaitTicket;
import io.mamos.workflows.CommandInvocation;
import io.mamos.workflows.CommandSignatures;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's Ed25519 key for signing every command it dispatches. Generated on first
 * start into the data folder ({@value #KEY_FILE}, 0600, both halves as PEM) and kept across
 * restarts, since agents pin the public half at enrollment. The private key is never logged or
 * returned; the public key is handed to each agent when it enrolls.
 */
@Component
public class CommandSigner {

    static final String KEY_FILE = "command-signing-key.pem";

    private static final Logger log = LoggerFactory.getLogger(CommandSigner.class);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN (PRIVATE|PUBLIC) KEY-----([A-Za-z0-9+/=\\s]+)-----END \\1 KEY-----");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Clock clock;

    @Autowired
    public CommandSigner(MamosProperties properties) {
        this(properties, Clock.systemUTC());
    }

    CommandSigner(MamosProperties properties, Clock clock) {
        this.clock = clock;
        var file = DataDirectory.ensure(properties.dataDir()).resolve(KEY_FILE);
        String pem = DataDirectory.readOrCreateSecret(file, CommandSigner::generatePem);
        try {
            KeyFactory factory = KeyFactory.getInstance(CommandSignatures.ALGORITHM);
            this.privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(block(pem, "PRIVATE", file)));
            this.publicKey = factory.generatePublic(new X509EncodedKeySpec(block(pem, "PUBLIC", file)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read the command signing key in " + file, e);
        }
        log.info("command signing key loaded from {} (public key sha256 {})", file, fingerprint());
    }

    /**
     * Signs {@code unsigned} for dispatch: issued now, valid for {@code validForSeconds}, with a
     * fresh random nonce.
     */
    public CommandInvocation sign(CommandInvocation unsigned, long validForSeconds) {
        long now = clock.millis();
        return sign(unsigned, now, now + validForSeconds * 1000, UUID.randomUUID().toString());
    }

    /**
     * Signs {@code unsigned} with the given validity and nonce. Ed25519 is deterministic, so the
     * same fields give the same signature: how an invocation already signed is handed out again.
     */
    CommandInvocation sign(CommandInvocation unsigned, long issuedAtMillis, long expiresAtMillis, String nonce) {
        CommandInvocation stamped = unsigned.signed(issuedAtMillis, expiresAtMillis, nonce, null);
        return stamped.signed(issuedAtMillis, expiresAtMillis, nonce, CommandSignatures.sign(stamped, privateKey));
    }

    /**
     * Signs leave for workflow run {@code runId} of {@code workflowId} to collect attempt
     * {@code attempt} of its command from {@code agentId}: issued now, valid for {@code validForSeconds}.
     */
    public AwaitTicket signTicket(String jobId, String agentId, int attempt, String workflowId, String runId,
            long validForSeconds) {
        long now = clock.millis();
        AwaitTicket ticket = new AwaitTicket(jobId, agentId, attempt, workflowId, runId, now,
                now + validForSeconds * 1000, null);
        return ticket.signed(CommandSignatures.sign(ticket, privateKey));
    }

    /** The public key agents pin at enrollment, base64 X.509 (SubjectPublicKeyInfo). */
    public String publicKeyBase64() {
        return CommandSignatures.encode(publicKey);
    }

    /** The first 16 hex digits of the public key's SHA-256: safe to log and compare by eye. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] block(String pem, String kind, java.nio.file.Path file) {
        Matcher matcher = PEM.matcher(pem);
        while (matcher.find()) {
            if (matcher.group(1).equals(kind)) {
                return Base64.getMimeDecoder().decode(matcher.group(2));
            }
        }
        throw new IllegalArgumentException(file + " holds no " + kind + " KEY block");
    }

    private static String generatePem() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(CommandSignatures.ALGORITHM).generateKeyPair();
            return pem("PRIVATE", pair.getPrivate().getEncoded()) + "\n" + pem("PUBLIC", pair.getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key pair", e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + " KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + kind + " KEY-----";
    }
}
