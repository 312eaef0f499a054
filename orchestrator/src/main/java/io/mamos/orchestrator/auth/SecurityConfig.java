package io.mamos.orchestrator.auth;

import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.monitoring.ScrapeToken;
import io.mamos.orchestrator.web.ProblemWriter;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Two kinds of principal, each confined to its own part of the API. Users present a Bearer JWT
 * issued by this orchestrator and may call everything under {@code /api/v1} except
 * {@code /api/v1/agent/**}; agents present their enrollment credential and may call only
 * {@code /api/v1/agent/**}. Login, refresh, enrollment (the one-time token is the credential),
 * health, metrics, the home page and the API's description and browsable page are open. Stateless: no session, no cookie, so no CSRF surface.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    static final String AGENT_API = "/api/v1/agent/**";

    /**
     * Prometheus service discovery carries its own opaque bearer token, checked by its controller;
     * the JWT filter must not see (and reject) it.
     */
    @Bean
    @Order(1)
    SecurityFilterChain serviceDiscoverySecurity(HttpSecurity http) throws Exception {
        http.securityMatcher(ScrapeToken.PATH)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll());
        return http.build();
    }

    /** The agent API: an agent credential is required; a user's JWT authenticates but is refused (403). */
    @Bean
    @Order(2)
    SecurityFilterChain agentSecurity(HttpSecurity http, AgentCredentials agents, JwtDecoder jwtDecoder,
            MamosProperties properties, UserAccountRepository accounts, ProblemWriter problems) throws Exception {
        var users = new JwtAuthenticationProvider(jwtDecoder);
        users.setJwtAuthenticationConverter(UserTokens.authentication(properties.auth(), accounts));
        AuthenticationManager manager = authentication -> {
            String bearer = ((BearerTokenAuthenticationToken) authentication).getToken();
            return AgentCredentials.looksLikeAgentCredential(bearer) ? agents.authenticate(bearer)
                    : users.authenticate(authentication);
        };
        AuthenticationEntryPoint unauthenticated = unauthenticated(problems, "a valid agent credential is required");
        AccessDeniedHandler forbidden = (request, response, e) -> problems.write(response, HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "only an agent credential may call the agent API; user tokens cannot");
        http.securityMatcher(AGENT_API)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth.anyRequest().hasRole(AgentCredentials.AGENT_ROLE))
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationManagerResolver(request -> manager)
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden));
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain apiSecurity(HttpSecurity http, MamosProperties properties, UserAccountRepository accounts,
            ProblemWriter problems) throws Exception {
        AuthenticationEntryPoint unauthenticated = unauthenticated(problems, "a valid Bearer access token is required");
        AccessDeniedHandler forbidden = (request, response, e) -> problems.write(response, HttpStatus.FORBIDDEN,
                "forbidden", "Forbidden", "your role does not allow this: " + request.getMethod() + " "
                        + request.getRequestURI());
        http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/health", "/health/**", "/metrics").permitAll()
                        // The API's description is public, like any published API reference.
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml").permitAll()
                        // Its browsable page (springdoc's Swagger UI) and the orchestrator's home page: static,
                        // nothing secret; every API call made from them still needs a token.
                        .requestMatchers(HttpMethod.GET, "/", "/swagger-ui.html", "/swagger-ui/**",
                                "/v3/api-docs/swagger-config").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/token", "/api/v1/auth/refresh",
                                "/api/v1/enrollments").permitAll()
                        .requestMatchers("/error").permitAll()
                        // The handshake is authenticated by a one-time ticket (see LiveConfig).
                        .requestMatchers(HttpMethod.GET, "/ws/events").permitAll()
                        .requestMatchers("/api/v1/enrollment-tokens/**", "/api/v1/audit", "/api/v1/users/**")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/agents/*/decommission").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.PUT, "/api/v1/agents/*/labels").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/jobs/**", "/api/v1/schedules/**")
                        .hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
                        .requestMatchers(HttpMethod.DELETE, "/api/v1/schedules/**")
                        .hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name())
                        // Every other call needs a user: agents never get a user role.
                        .anyRequest().hasAnyRole(Role.ADMIN.name(), Role.OPERATOR.name(), Role.VIEWER.name()))
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(UserTokens.authentication(properties.auth(), accounts)))
                        .authenticationEntryPoint(unauthenticated)
                        .accessDeniedHandler(forbidden))
                .exceptionHandling(ex -> ex.authenticationEntryPoint(unauthenticated).accessDeniedHandler(forbidden));
        return http.build();
    }

    /**
     * Validates this orchestrator's own access tokens (and an OIDC provider's, when configured),
     * refusing logged-out ones and any without an expiry; agent credentials are refused with a
     * reason. Our own tokens are checked with no clock skew: this clock issued them.
     */
    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, MamosProperties properties, RevokedAccessTokens revoked) {
        NimbusJwtDecoder own = NimbusJwtDecoder.withPublicKey(keys.publicKey()).build();
        own.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                UserTokens.timestamps(Duration.ZERO), new JwtIssuerValidator(properties.auth().issuer()), revoked));
        return UserTokens.decoder(own, properties.auth(), revoked);
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    /** 401 that says why: no token, or what was wrong with the one presented (never its value). */
    private static AuthenticationEntryPoint unauthenticated(ProblemWriter problems, String required) {
        return (request, response, e) -> problems.write(response, HttpStatus.UNAUTHORIZED, "unauthenticated",
                "Unauthenticated", reason(required, e));
    }

    private static String reason(String required, AuthenticationException e) {
        if (e instanceof OAuth2AuthenticationException rejected) {
            return required + "; the one presented was rejected: " + rejected.getMessage();
        }
        return required;
    }
}
