package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Staff accounts as an ADMIN manages them: create, list, disable, enable, reset a password. */
@RestController
@PreAuthorize("hasRole('ADMIN')")
class StaffAdminController {

  private final StaffUsers users;
  private final RateLimits limits;
  private final AuditTrail audit;

  StaffAdminController(StaffUsers users, RateLimits limits, AuditTrail audit) {
    this.users = users;
    this.limits = limits;
    this.audit = audit;
  }

  record NewUser(String username, String password, String role, String siteCode, String labCode, String gridCode, String hospitalCode) {
    @Override
    public String toString() {
      return "NewUser[" + username + ", " + role + "]";
    }
  }

  /**
   * The created account; for ADMIN also its second factor as an {@code otpauth://} URI for an
   * authenticator app. It is shown this once: the server keeps the secret only encrypted.
   */
  record CreatedUser(String username, Role role, String siteCode, String labCode, String totpUri) {
    @Override
    public String toString() { // never the secret in a (debug) log line
      return "CreatedUser[" + username + ", " + role + "]";
    }
  }

  @Operation(summary = "Create a staff user (ADMIN); an ADMIN account's TOTP secret is in the answer, once")
  @PostMapping("/api/v1/admin/users")
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  CreatedUser create(@RequestBody NewUser body) {
    StaffUsers.Enrolled e = users.enrol(body.username(), body.password(), body.role(), body.siteCode(), body.labCode(), body.gridCode(), body.hospitalCode(), null);
    StaffUsers.StaffUser user = e.user();
    audit.record(Actor.current(), "STAFF_USER_CREATED", "staff_user", user.username(), "role " + user.role());
    return new CreatedUser(user.username(), user.role(), user.siteCode(), user.labCode(),
        e.totpSecret() == null ? null : Totp.uri(user.username(), e.totpSecret()));
  }

  @Operation(summary = "List staff users (ADMIN)")
  @GetMapping("/api/v1/admin/users")
  List<StaffUsers.Listed> list() {
    return users.list();
  }

  @Operation(summary = "Disable a staff user (ADMIN): they cannot log in and their tokens stop working")
  @PostMapping("/api/v1/admin/users/{username}/disable")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Transactional
  void disable(@PathVariable String username) {
    Actor actor = Actor.current();
    if (actor.name().equals(username)) {
      throw ApiException.conflict("CANNOT_DISABLE_SELF", "An administrator cannot disable their own account");
    }
    users.setEnabled(username, false);
    audit.record(actor, "STAFF_USER_DISABLED", "staff_user", username, "tokens revoked");
  }

  @Operation(summary = "Enable a staff user again (ADMIN); clears their login lockout")
  @PostMapping("/api/v1/admin/users/{username}/enable")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Transactional
  void enable(@PathVariable String username) {
    users.setEnabled(username, true);
    limits.reset(StaffLogin.ACCOUNT, username);
    audit.record(Actor.current(), "STAFF_USER_ENABLED", "staff_user", username, null);
  }

  record PasswordReset(String password) {
    @Override
    public String toString() {
      return "PasswordReset[]";
    }
  }

  @Operation(summary = "Reset a staff user's password (ADMIN); their tokens stop working")
  @PostMapping("/api/v1/admin/users/{username}/password")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @Transactional
  void resetPassword(@PathVariable String username, @RequestBody PasswordReset body) {
    users.setPassword(username, body.password());
    limits.reset(StaffLogin.ACCOUNT, username);
    audit.record(Actor.current(), "STAFF_PASSWORD_RESET", "staff_user", username, "tokens revoked");
  }
}
