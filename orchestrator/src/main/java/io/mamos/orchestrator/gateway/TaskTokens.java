package io.mamos.orchestrator.gateway;

import com.google.protobuf.ByteString;
import io.mamos.orchestrator.config.DataDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Binds the task tokens Temporal hands out to the agent whose poll received them. An agent gets
 * {@code version || HMAC(agent id, token) || token} instead of the bare token; a heartbeat or
 * completion is forwarded only when the MAC proves the gateway gave that token to the caller.
 * Stateless, so a gateway restart (or a second gateway process sharing the data folder) keeps
 * accepting the tokens of activities that are running.
 */
public final class TaskTokens {

    /** Key file in the data folder (0600); every gateway sharing that folder uses it. */
    public static final String KEY_FILE = "gateway-task-token.key";

    private static final byte VERSION = 1;
    private static final int MAC_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    TaskTokens(byte[] key) {
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** The tokens of the gateway whose data folder is {@code dataDir}, creating its key on first use. */
    public static TaskTokens inDataDirectory(Path dataDir) {
        String encoded = DataDirectory.readOrCreateSecret(DataDirectory.ensure(dataDir).resolve(KEY_FILE), () -> {
            byte[] fresh = new byte[32];
            new SecureRandom().nextBytes(fresh);
            return Base64.getEncoder().encodeToString(fresh);
        });
        return new TaskTokens(Base64.getDecoder().decode(encoded));
    }

    /** The token handed to {@code agentId} for Temporal's {@code token}; an empty token stays empty. */
    public ByteString bind(String agentId, ByteString token) {
        if (token.isEmpty()) {
            return token;
        }
        return ByteString.copyFrom(new byte[] {VERSION}).concat(ByteString.copyFrom(mac(agentId, token)))
                .concat(token);
    }

    /** Temporal's token inside {@code presented}, if this gateway handed {@code presented} to {@code agentId}. */
    public Optional<ByteString> unbind(String agentId, ByteString presented) {
        if (presented.size() <= 1 + MAC_BYTES || presented.byteAt(0) != VERSION) {
            return Optional.empty();
        }
        ByteString token = presented.substring(1 + MAC_BYTES);
        byte[] expected = mac(agentId, token);
        byte[] given = presented.substring(1, 1 + MAC_BYTES).toByteArray();
        return MessageDigest.isEqual(expected, given) ? Optional.of(token) : Optional.empty();
    }

    private byte[] mac(String agentId, ByteString token) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            byte[] id = agentId.getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so no (id, token) pair can be re-split into another.
            mac.update((byte) (id.length >>> 8));
            mac.update((byte) id.length);
            mac.update(id);
            mac.update(token.asReadOnlyByteBuffer());
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
