package io.mamos.orchestrator.auth;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.mamos.orchestrator.config.MamosProperties;
import java.time.Instant;
import java.util.List;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.stereotype.Component;

/** Issues the short-lived RS256 access tokens that the resource server then validates. */
@Component
public class AccessTokens {

    static final String ROLES_CLAIM = "roles";

    private final JwtEncoder encoder;
    private final MamosProperties properties;
    private final String keyId;

    public AccessTokens(SigningKeys keys, MamosProperties properties) {
        this.keyId = keys.keyId();
        RSAKey jwk = new RSAKey.Builder(keys.publicKey()).privateKey(keys.privateKey()).keyID(keyId).build();
        this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(jwk)));
        this.properties = properties;
    }

    public TokenResponse issue(UserAccount user) {
        Instant now = Instant.now();
        var ttl = properties.auth().accessTokenTtl();
        JwtClaimsSet claims = JwtClaimsSet.builder()
                .issuer(properties.auth().issuer())
                .subject(user.username())
                .issuedAt(now)
                .expiresAt(now.plus(ttl))
                .claim(ROLES_CLAIM, List.of(user.role().name()))
                .build();
        JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(keyId).build();
        String token = encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
        return new TokenResponse(token, "Bearer", ttl.toSeconds());
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }
}
