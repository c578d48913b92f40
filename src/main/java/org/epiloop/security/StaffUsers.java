package org.epiloop.security;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Staff accounts: a role, and for collectors and lab staff the site or lab they act for. */
@Service
public class StaffUsers {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

  /** A staff user as returned by the API (never the password). */
  public record StaffUser(String username, Role role, String siteCode, String labCode) {}

  private final JdbcClient jdbc;
  private final PasswordEncoder passwords;
  private final Directory directory;
  private final Clock clock;
  // Compared against when the user does not exist, so that a wrong username costs as long
  // as a wrong password and does not reveal which usernames exist.
  private final String dummyHash;

  StaffUsers(JdbcClient jdbc, PasswordEncoder passwords, Directory directory, Clock clock) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.directory = directory;
    this.clock = clock;
    this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
  }

  @Transactional
  public StaffUser create(String username, String password, String roleName, String siteCode, String labCode) {
    ApiException.required("username", username);
    if (!USERNAME.matcher(username).matches()) {
      throw ApiException.badRequest("INVALID_USERNAME", "username", "username must be 3–64 lower-case letters, digits, '.', '_' or '-'");
    }
    ApiException.required("password", password);
    if (password.length() < 8) {
      throw ApiException.badRequest("WEAK_PASSWORD", "password", "password must have at least 8 characters");
    }
    // bcrypt reads 72 bytes; the encoder refuses longer passwords rather than ignore the rest
    if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 72) {
      throw ApiException.badRequest("PASSWORD_TOO_LONG", "password", "password must have at most 72 bytes");
    }
    Role role = parseRole(roleName);
    if (role == Role.RESIDENT) {
      throw ApiException.badRequest("INVALID_ROLE", "role", "residents log in with a one-time code, not a staff account");
    }
    String site = null;
    String lab = null;
    if (role == Role.COLLECTOR) {
      ApiException.required("siteCode", siteCode);
      if (directory.site(siteCode).isEmpty()) {
        throw ApiException.badRequest("UNKNOWN_SITE", "siteCode", "No site " + siteCode);
      }
      site = siteCode;
    }
    if (role == Role.LAB_TECH || role == Role.LAB_REVIEWER) {
      ApiException.required("labCode", labCode);
      if (directory.lab(labCode).isEmpty()) {
        throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + labCode);
      }
      lab = labCode;
    }
    try {
      jdbc.sql("insert into staff_users (username, password_hash, role, site_code, lab_code, created_at) values (?, ?, ?, ?, ?, ?)")
          .params(username, passwords.encode(password), role.name(), site, lab, clock.instant().atOffset(ZoneOffset.UTC))
          .update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("USERNAME_TAKEN", "User " + username + " already exists");
    }
    return new StaffUser(username, role, site, lab);
  }

  /** The actor for valid credentials, else empty (same cost either way). */
  Optional<Actor> authenticate(String username, String password) {
    record Row(String hash, Role role, String site, String lab, boolean enabled) {}
    Optional<Row> row = jdbc.sql("select password_hash, role, site_code, lab_code, enabled from staff_users where username = ?")
        .param(username)
        .query((rs, i) -> new Row(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4), rs.getBoolean(5)))
        .optional();
    if (row.isEmpty()) {
      passwords.matches(password, dummyHash);
      return Optional.empty();
    }
    Row r = row.get();
    if (!r.enabled() || !passwords.matches(password, r.hash())) {
      return Optional.empty();
    }
    return Optional.of(new Actor(username, r.role(), r.site(), r.lab(), null));
  }

  boolean exists(String username) {
    return jdbc.sql("select count(*) from staff_users where username = ?").param(username).query(Integer.class).single() > 0;
  }

  private static Role parseRole(String roleName) {
    ApiException.required("role", roleName);
    try {
      return Role.valueOf(roleName);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_ROLE", "role", "role must be one of ADMIN, OFFICIAL, COLLECTOR, COURIER, LAB_TECH, LAB_REVIEWER, VENUE_MANAGER");
    }
  }
}
