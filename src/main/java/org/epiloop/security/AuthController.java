package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Staff login and staff account creation. */
@RestController
class AuthController {

  private final StaffUsers users;
  private final Tokens tokens;
  private final EpiloopProperties properties;
  private final org.epiloop.audit.AuditTrail audit;

  AuthController(StaffUsers users, Tokens tokens, EpiloopProperties properties, org.epiloop.audit.AuditTrail audit) {
    this.users = users;
    this.tokens = tokens;
    this.properties = properties;
    this.audit = audit;
  }

  record Credentials(String username, String password) {
    @Override
    public String toString() {
      return "Credentials[" + username + "]";
    }
  }

  record TokenResponse(String accessToken, String tokenType, long expiresIn, String role, String siteCode, String labCode) {}

  @Operation(summary = "Log in as staff and get a bearer token")
  @PostMapping("/api/v1/auth/token")
  TokenResponse token(@RequestBody Credentials body) {
    String username = ApiException.required("username", body.username());
    String password = ApiException.required("password", body.password());
    Actor actor = users.authenticate(username, password)
        .orElseThrow(() -> new ApiException(HttpStatus.UNAUTHORIZED, "BAD_CREDENTIALS", "Wrong username or password", null));
    Tokens.Issued t = tokens.issue(actor, properties.staffTokenTtl());
    return new TokenResponse(t.token(), "Bearer", t.expiresInSeconds(), actor.role().name(), actor.siteCode(), actor.labCode());
  }

  record NewUser(String username, String password, String role, String siteCode, String labCode) {
    @Override
    public String toString() {
      return "NewUser[" + username + ", " + role + "]";
    }
  }

  @Operation(summary = "Create a staff user (ADMIN)")
  @PostMapping("/api/v1/admin/users")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('ADMIN')")
  @org.springframework.transaction.annotation.Transactional
  StaffUsers.StaffUser create(@RequestBody NewUser body) {
    StaffUsers.StaffUser user = users.create(body.username(), body.password(), body.role(), body.siteCode(), body.labCode());
    audit.record(Actor.current(), "STAFF_USER_CREATED", "staff_user", user.username(), "role " + user.role());
    return user;
  }
}
