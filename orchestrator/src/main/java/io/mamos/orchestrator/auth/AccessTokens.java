package io.mamos.orchestrator.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.mamos.orchestrator.config.MamosProperties;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/**
 * Issues the short-lived RS256 access tokens that the resource server then validates. Each has
 * a unique {@code jti} (so logout can deny it) and names the refresh-token family it came from
 * in {@code sid} (so logout can end that session).
 */
@Component
public class AccessTokens {

    static final String ROLES_CLAIM = "roles";
    static final String SESSION_CLAIM = "sid";

    private final JwtEncoder encoder;
    private final MamosProperties properties;
    private final String keyId;

    public AccessTokens(SigningKeys keys, MamosProperties properties) {
        this.keyId = keys.keyId();
        RSAKey jwk = new RSAKey.Builder(keys.publicKey()).privateKey(keys.privateKey()).keyID(keyId).build();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)));
        this.properties = properties;
    }

    /** @param sessionId the refresh-token family this token belongs to; null for none */
    public IssuedAccessToken issue(UserAccount user, String sessionId) {
        Instant now = Instant.now();
        var ttl = properties.auth().accessTokenTtl();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .id(UUID.randomUUID().toString())
                .issuer(properties.auth().issuer())
                .subject(user.username())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(ROLES_CLAIM, List.of(user.role().name()));
        if (sessionId != null) {
            claims.claim(SESSION_CLAIM, sessionId);
        }
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keyId).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
        return new IssuedAccessToken(token, ttl.toSeconds());
    }

    public record IssuedAccessToken(String accessToken, long expiresIn) {
    }
}
