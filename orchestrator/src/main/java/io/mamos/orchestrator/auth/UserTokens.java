package io.mamos.orchestrator.auth;

import com.nimbusds.jwt.JWTParser;
import io.mamos.orchestrator.config.MamosProperties;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The user tokens the API accepts: this orchestrator's own access tokens and, when
 * {@code mamos.auth.oidc.*} is configured, an external OpenID Connect provider's, told apart by
 * their issuer. Roles come from {@code roles} in our tokens and from the configured claim in the
 * provider's; only ADMIN, OPERATOR and VIEWER count.
 */
final class UserTokens {

    /**
     * How far a provider's clock may be ahead of or behind ours. Not the library's implicit 60 s:
     * a few seconds cover NTP-synchronised hosts, and every second here is a second a token
     * outlives its {@code exp}.
     */
    static final Duration PROVIDER_CLOCK_SKEW = Duration.ofSeconds(5);

    private UserTokens() {
    }

    /** {@code exp} required and not passed, {@code nbf} (if any) reached, each with {@code skew} of tolerance. */
    static OAuth2TokenValidator<Jwt> timestamps(Duration skew) {
        OAuth2TokenValidator<Jwt> hasExpiry = new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull);
        return new DelegatingOAuth2TokenValidator<>(hasExpiry, new JwtTimestampValidator(skew));
    }

    /** Routes a token to the decoder of its issuer; agent credentials are refused with a reason. */
    static JwtDecoder decoder(JwtDecoder own, MamosProperties.Auth auth, OAuth2TokenValidator<Jwt> notRevoked) {
        JwtDecoder external = auth.oidc().enabled() ? providerDecoder(auth.oidc(), notRevoked) : null;
        return token -> {
            if (AgentCredentials.looksLikeAgentCredential(token)) {
                throw new BadJwtException("an agent credential is accepted only on /api/v1/agent/**");
            }
            return external != null && !auth.issuer().equals(unverifiedIssuer(token)) ? external.decode(token)
                    : own.decode(token);
        };
    }

    private static JwtDecoder providerDecoder(MamosProperties.Oidc oidc, OAuth2TokenValidator<Jwt> notRevoked) {
        boolean hasIssuer = oidc.issuerUri() != null && !oidc.issuerUri().isBlank();
        NimbusJwtDecoder decoder = oidc.jwkSetUri() != null && !oidc.jwkSetUri().isBlank()
                ? NimbusJwtDecoder.withJwkSetUri(oidc.jwkSetUri()).build()
                : NimbusJwtDecoder.withIssuerLocation(oidc.issuerUri()).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(timestamps(PROVIDER_CLOCK_SKEW));
        if (hasIssuer) {
            validators.add(new JwtIssuerValidator(oidc.issuerUri()));
        }
        validators.add(notRevoked);
        if (oidc.audience() != null && !oidc.audience().isBlank()) {
            validators.add(jwt -> jwt.getAudience() != null && jwt.getAudience().contains(oidc.audience())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                            "the token is not meant for this audience", null)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        return decoder;
    }

    private static String unverifiedIssuer(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            return null; // not a JWT: our own decoder says why
        }
    }

    /**
     * Turns a validated token into a user: its roles and the name the audit log uses. For our own
     * tokens the user is read from the store on every request (one primary-key read, as the
     * revocation check does), so a deleted user's token is refused and a changed role applies
     * from the next request on, whatever the token says. A provider's tokens carry the
     * provider's roles: the provider decides those.
     */
    static Converter<Jwt, AbstractAuthenticationToken> authentication(MamosProperties.Auth auth,
            UserAccountRepository users) {
        return jwt -> {
            if (isOwn(jwt, auth)) {
                String subject = jwt.getSubject();
                UserAccount user = (subject == null ? java.util.Optional.<UserAccount>empty() : users.findById(subject))
                        .orElseThrow(() -> new InvalidBearerTokenException("the token's user does not exist"));
                return new JwtAuthenticationToken(jwt, authorities(user.role().name()), user.username());
            }
            Object roles = claimAt(jwt.getClaims(), auth.oidc().roleClaim());
            String name = jwt.getClaimAsString(auth.oidc().usernameClaim());
            return new JwtAuthenticationToken(jwt, authorities(roles), name == null ? jwt.getSubject() : name);
        };
    }

    static boolean isOwn(Jwt jwt, MamosProperties.Auth auth) {
        return auth.issuer().equals(jwt.getClaimAsString("iss"));
    }

    private static Object claimAt(Map<String, Object> claims, String path) {
        Object value = claims;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    private static Collection<GrantedAuthority> authorities(Object roles) {
        List<Object> values = roles instanceof Collection<?> many ? List.copyOf(many)
                : roles == null ? List.of() : List.of(roles);
        return values.stream()
                .map(value -> String.valueOf(value).toUpperCase(Locale.ROOT))
                .filter(Role::isUserRole)
                .distinct()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
    }
}
