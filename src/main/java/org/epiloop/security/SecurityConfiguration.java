package org.epiloop.security;

import java.util.List;
import org.epiloop.shared.ErrorFormats;

import org.epiloop.shared.Problems;
import org.springframework.aop.Advisor;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.authorization.method.PreAuthorizeAuthorizationManager;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.header.writers.StaticHeadersWriter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * HTTP security: stateless bearer tokens on {@code /api/**} and {@code /fhir/**}; a handful of public endpoints;
 * pages are static shells that call the API with a token. Roles are declared per endpoint
 * with {@code @PreAuthorize}; failures are problem JSON.
 */
@Configuration(proxyBeanMethods = false)
// @PreAuthorize is served by RoleCheck's advisor below (the roles read once per method, no SpEL per call)
@EnableMethodSecurity(prePostEnabled = false)
class SecurityConfiguration {

  /** {@code @PreAuthorize} on every endpoint, checked by {@link RoleCheck} (ADR 0021). */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static Advisor preAuthorize() {
    return AuthorizationManagerBeforeMethodInterceptor.preAuthorize(new RoleCheck(new PreAuthorizeAuthorizationManager()));
  }

  /**
   * The camera for the scanning pages (station, gate, courier, lab) and the location for the
   * nearest sampling site and the courier's position, from this origin only; nothing else.
   */
  static final String PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=(), serial=(), "
      + "bluetooth=(), hid=(), midi=(), display-capture=(), fullscreen=(self), accelerometer=(), gyroscope=(), magnetometer=()";

  @Bean
  SecurityFilterChain api(HttpSecurity http, JwtDecoder decoder, StreamTickets tickets, List<ErrorFormats> formats) throws Exception {
    // the FHIR endpoints answer OperationOutcome even here (ADR 0025); everything else problem JSON
    AuthenticationEntryPoint unauthorized = (req, res, e) -> {
      ErrorFormats format = formats.stream().filter(f -> f.handles(req)).findFirst().orElse(null);
      if (format != null) {
        format.write(res, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "A valid bearer token is required");
      } else {
        Problems.write(res, HttpStatus.UNAUTHORIZED, "UNAUTHORIZED", "A valid bearer token is required");
      }
    };
    AccessDeniedHandler denied = (req, res, e) -> {
      ErrorFormats format = formats.stream().filter(f -> f.handles(req)).findFirst().orElse(null);
      if (format != null) {
        format.write(res, HttpStatus.FORBIDDEN, "FORBIDDEN", "Your role may not do this");
      } else {
        Problems.write(res, HttpStatus.FORBIDDEN, "FORBIDDEN", "Your role may not do this");
      }
    };
    http.csrf(c -> c.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .requestCache(c -> c.disable())
        .formLogin(f -> f.disable())
        .httpBasic(b -> b.disable())
        .logout(l -> l.disable())
        // no HttpServletRequest#getUserPrincipal/isUserInRole/login: code asks Actor.current(); one
        // request wrapper less for every call to go through (ADR 0021)
        .servletApi(a -> a.disable())
        .authorizeHttpRequests(a -> a
            .requestMatchers(HttpMethod.POST, "/api/v1/auth/token", "/api/v1/resident/otp",
                "/api/v1/resident/session", "/api/v1/results/query").permitAll()
            // the SMS provider's receipts: no token, but every one is checked against its HMAC
            .requestMatchers(HttpMethod.POST, "/api/v1/sms/receipts").permitAll()
            // sensor gateways: no token, but every batch is checked against its gateway key (ADR 0027)
            .requestMatchers(HttpMethod.POST, "/api/v1/environment/readings").permitAll()
            .requestMatchers(HttpMethod.GET, "/api/v1/sites/nearby", "/api/v1/health-codes/keys", "/api/v1/certificates/keys").permitAll()
            // anyone checks a certificate (rate-limited per address)
            .requestMatchers(HttpMethod.POST, "/api/v1/certificates/verify").permitAll()
            .requestMatchers("/api/**").authenticated()
            // FHIR exchange with partners and departments: bearer tokens like /api (ADR 0025)
            .requestMatchers("/fhir", "/fhir/**").authenticated()
            .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
            .requestMatchers("/actuator/**").hasRole("ADMIN")
            .anyRequest().permitAll())
        .oauth2ResourceServer(o -> o
            .jwt(j -> j.decoder(decoder).jwtAuthenticationConverter(new Tokens.ActorConverter()))
            .authenticationEntryPoint(unauthorized)
            .accessDeniedHandler(denied))
        .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(denied))
        // an EventSource cannot send a bearer token: event streams are opened with a stream ticket
        .addFilterBefore(new StreamTicketFilter(tickets), BearerTokenAuthenticationFilter.class)
        .headers(h -> h.contentSecurityPolicy(c -> c.policyDirectives(
                "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'"))
            // links out of a page must not carry its URL (a resident's person id, a tube code)
            .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER))
            .addHeaderWriter(new StaticHeadersWriter("Permissions-Policy", PERMISSIONS_POLICY)));
    return http.build();
  }

  /**
   * No observation around every security filter, authentication and authorization: on small
   * scan requests those wrappers cost more than the checks (http.server.requests stays).
   */
  @Bean
  SecurityObservationSettings securityObservationSettings() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * The firewall's refusals (a {@code ..} or {@code ;} in the path, an encoded slash, a header
   * value with control or non-ASCII bytes) are 400 problems, not the container's error page.
   */
  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return (req, res, e) ->
        Problems.write(res, HttpStatus.BAD_REQUEST, "REQUEST_REJECTED", "The request was rejected as malformed");
  }

  @Bean
  JwtDecoder jwtDecoder(Tokens tokens) {
    return tokens.decoder();
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return new BCryptPasswordEncoder(10);
  }
}
