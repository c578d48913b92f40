package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import org.epiloop.audit.AuditTrail;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.ClientAddress;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Staff login, logout (staff and residents) and changing one's own password. */
@RestController
class AuthController {

  private final StaffLogin login;
  private final StaffUsers users;
  private final PasswordPolicy policy;
  private final Tokens tokens;
  private final Revocations revocations;
  private final EpiloopProperties properties;
  private final AuditTrail audit;
  private final ClientAddress clients;

  AuthController(StaffLogin login, StaffUsers users, PasswordPolicy policy, Tokens tokens, Revocations revocations,
      EpiloopProperties properties, AuditTrail audit, ClientAddress clients) {
    this.login = login;
    this.users = users;
    this.policy = policy;
    this.tokens = tokens;
    this.revocations = revocations;
    this.properties = properties;
    this.audit = audit;
    this.clients = clients;
  }

  record Credentials(String username, String password, String totp) {
    @Override
    public String toString() {
      return "Credentials[" + username + "]";
    }
  }

  record TokenResponse(String accessToken, String tokenType, long expiresIn, String role, String siteCode, String labCode) {}

  @Operation(summary = "Log in as staff and get a bearer token (ADMIN also sends the one-time code as totp)")
  @PostMapping("/api/v1/auth/token")
  TokenResponse token(@RequestBody Credentials body, HttpServletRequest request) {
    String username = ApiException.required("username", body.username());
    String password = ApiException.required("password", body.password());
    StaffUsers.Account account = login.login(username, password, body.totp(), clientAddress(request));
    Actor actor = account.actor();
    Tokens.Issued t = tokens.issue(actor, properties.staffTokenTtl(), account.generation());
    return new TokenResponse(t.token(), "Bearer", t.expiresInSeconds(), actor.role().name(), actor.siteCode(), actor.labCode());
  }

  @Operation(summary = "Log out: the presented token stops working (staff and residents)")
  @PostMapping("/api/v1/auth/logout")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void logout() {
    revocations.revoke(presentedToken());
  }

  record PasswordChange(String currentPassword, String password) {
    @Override
    public String toString() {
      return "PasswordChange[]";
    }
  }

  @Operation(summary = "Change one's own password (staff); every token of the account stops working")
  @PostMapping("/api/v1/auth/password")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize("!hasRole('RESIDENT')")
  @Transactional
  void changePassword(@RequestBody PasswordChange body, HttpServletRequest request) {
    Actor actor = Actor.current();
    String current = ApiException.required("currentPassword", body.currentPassword());
    // the new one first: a refused new password must not cost a try of the current one
    policy.check("password", body.password());
    login.confirmPassword(actor.name(), current, clientAddress(request));
    users.setPassword(actor.name(), body.password());
    audit.record(actor, "STAFF_PASSWORD_CHANGED", "staff_user", actor.name(), "own password; tokens revoked");
  }

  /** The client's address for throttling: behind a trusted proxy, the address it forwarded. */
  private String clientAddress(HttpServletRequest request) {
    return clients.of(request);
  }

  private static Jwt presentedToken() {
    if (SecurityContextHolder.getContext().getAuthentication() instanceof Tokens.ActorAuthentication a
        && a.getCredentials() instanceof Jwt jwt) {
      return jwt;
    }
    throw ApiException.unauthorized("A bearer token is required");
  }
}
