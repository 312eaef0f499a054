package io.mamos.orchestrator.auth;

import java.net.URI;
import java.util.Collection;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.web.SecurityFilterChain;
import io.mamos.orchestrator.config.MamosProperties;
import io.mamos.orchestrator.monitoring.ScrapeToken;
import org.springframework.core.annotation.Order;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Every API call needs a Bearer JWT issued by this orchestrator, except login, enrollment
 * (the one-time token is the credential there), health and metrics. Stateless: no session,
 * no cookie, so no CSRF surface.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

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

    @Bean
    @Order(2)
    SecurityFilterChain apiSecurity(HttpSecurity http) throws Exception {
        http
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers(HttpMethod.GET, "/health", "/health/**", "/metrics").permitAll()
                        // The API's description is public, like any published API reference.
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml").permitAll()
                        .requestMatchers(HttpMethod.POST, "/api/v1/auth/token", "/api/v1/enrollments").permitAll()
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
                        .anyRequest().authenticated())
                .oauth2ResourceServer(oauth -> oauth
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(rolesConverter()))
                        .authenticationEntryPoint((request, response, e) ->
                                problem(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                                        "a valid Bearer access token is required"))
                        .accessDeniedHandler((request, response, e) ->
                                problem(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                                        "your role does not allow this")))
                .exceptionHandling(ex -> ex
                        .authenticationEntryPoint((request, response, e) ->
                                problem(response, HttpStatus.UNAUTHORIZED, "unauthenticated", "Unauthenticated",
                                        "a valid Bearer access token is required"))
                        .accessDeniedHandler((request, response, e) ->
                                problem(response, HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                                        "your role does not allow this")));
        return http.build();
    }

    @Bean
    JwtDecoder jwtDecoder(SigningKeys keys, MamosProperties properties) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(keys.publicKey()).build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(properties.auth().issuer())));
        return decoder;
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    private static JwtAuthenticationConverter rolesConverter() {
        var converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            List<String> roles = jwt.getClaimAsStringList(AccessTokens.ROLES_CLAIM);
            Collection<GrantedAuthority> authorities = roles == null ? List.of()
                    : roles.stream().<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
            return authorities;
        });
        return converter;
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String kind, String title,
            String detail) throws java.io.IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        String type = URI.create("https://mamos.dev/problems/" + kind).toString();
        response.getWriter().write("{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":"
                + status.value() + ",\"detail\":\"" + detail + "\"}");
    }
}
