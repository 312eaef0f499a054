package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.DataDirectory;
import io.mamos.orchestrator.config.MamosProperties;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import org.springframework.stereotype.Component;

/**
 * The orchestrator's RSA key pair for signing access tokens. Generated on first start and kept
 * in the data folder as a 0600 PKCS#8 file, so tokens stay valid across restarts.
 */
@Component
public class SigningKeys {

    static final String KEY_FILE = "jwt-signing-key.pem";
    static final int MIN_KEY_BITS = 2048;

    private final RSAPublicKey publicKey;
    private final RSAPrivateCrtKey privateKey;

    public SigningKeys(MamosProperties properties) {
        var file = DataDirectory.ensure(properties.dataDir()).resolve(KEY_FILE);
        String pem = DataDirectory.readOrCreateSecret(file, SigningKeys::generatePem);
        this.privateKey = parse(pem, file);
        try {
            this.publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(
                    new RSAPublicKeySpec(privateKey.getModulus(), privateKey.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the public key of " + file, e);
        }
    }

    static RSAPrivateCrtKey parse(String pem, java.nio.file.Path file) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem
                    .replace("-----BEGIN PRIVATE KEY-----", "")
                    .replace("-----END PRIVATE KEY-----", ""));
            return (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException e) {
            throw new IllegalStateException("cannot read the signing key in " + file, e);
        }
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public RSAPrivateCrtKey privateKey() {
        return privateKey;
    }

    /** A short stable id of the key, for the JWT {@code kid} header. */
    public String keyId() {
        return new BigInteger(1, publicKey.getModulus().toByteArray()).toString(36).substring(0, 16);
    }

    private static String generatePem() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(3072);
            KeyPair pair = generator.generateKeyPair();
            return "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an RSA key pair", e);
        }
    }
}
