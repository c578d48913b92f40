package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Map;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
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

/**
 * A designated hospital's fever-clinic accounts, made by the officials who designate hospitals as
 * well as by an ADMIN (docs/adr/0035): an official who designates a hospital on a Sunday should not
 * wait for the administrator to let it report. Only HOSPITAL accounts, each bound to this one
 * hospital, are made here; every other role stays with {@code POST /admin/users} (ADMIN).
 */
@RestController
@PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
class HospitalAccountsController {

  private final StaffUsers users;
  private final Directory directory;
  private final AuditTrail audit;

  HospitalAccountsController(StaffUsers users, Directory directory, AuditTrail audit) {
    this.users = users;
    this.directory = directory;
    this.audit = audit;
  }

  record NewAccount(String username, String password) {
    @Override
    public String toString() { // never the password in a (debug) log line
      return "NewAccount[" + username + "]";
    }
  }

  /** A hospital's account: who, and whether it may log in. */
  record Account(String username, Role role, String hospitalCode, boolean enabled) {}

  @Operation(summary = "Create a fever-clinic account (role HOSPITAL) bound to this designated hospital; 409 HOSPITAL_NOT_DESIGNATED "
      + "for one no longer designated (ADMIN, OFFICIAL; audited)")
  @PostMapping("/api/v1/hospitals/{code}/accounts")
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  Account create(@PathVariable String code, @RequestBody(required = false) NewAccount body) {
    Directory.Hospital h = hospital(code);
    StaffUsers.StaffUser user = users.createHospitalStaff(body == null ? null : body.username(), body == null ? null : body.password(),
        h.code());
    audit.record(Actor.current(), "STAFF_USER_CREATED", "staff_user", user.username(), "role HOSPITAL, hospital " + h.code());
    return new Account(user.username(), Role.HOSPITAL, h.code(), true);
  }

  @Operation(summary = "The fever-clinic accounts of a hospital (ADMIN, OFFICIAL)")
  @GetMapping("/api/v1/hospitals/{code}/accounts")
  List<Account> list(@PathVariable String code) {
    Directory.Hospital h = hospital(code);
    Map<String, Boolean> enabled = users.enabled(directory.hospitalStaff(h.code()));
    return enabled.entrySet().stream().map(e -> new Account(e.getKey(), Role.HOSPITAL, h.code(), e.getValue())).toList();
  }

  private Directory.Hospital hospital(String code) {
    return directory.hospital(code).orElseThrow(() -> ApiException.notFound("HOSPITAL_NOT_FOUND", "No hospital " + code));
  }
}
