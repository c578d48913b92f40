package org.epiloop.security;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.PiiCrypto;
import org.epiloop.shared.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Staff accounts: a role, and for collectors and lab staff the site or lab they act for. Every
 * ADMIN account also has a TOTP secret (encrypted like personal data). Disabling an account and
 * changing or resetting its password move its token generation on, which revokes its tokens.
 */
@Service
public class StaffUsers {

  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

  /** A staff user as returned by the API (never the password). */
  public record StaffUser(String username, Role role, String siteCode, String labCode) {}

  /** A staff user as an ADMIN lists them. */
  record Listed(String username, Role role, String siteCode, String labCode, boolean enabled, OffsetDateTime createdAt,
      boolean secondFactor) {}

  /** A new account and, for ADMIN, its TOTP secret in Base32 (shown once, then only stored encrypted). */
  record Enrolled(StaffUser user, String totpSecret) {}

  /** What login needs to know about an account. */
  record Account(String username, String passwordHash, Role role, String siteCode, String labCode, boolean enabled,
      int generation, byte[] totpSecretEnc) {
    Actor actor() {
      return new Actor(username, role, siteCode, labCode, null);
    }
  }

  private final JdbcClient jdbc;
  private final PasswordEncoder passwords;
  private final PasswordPolicy policy;
  private final Directory directory;
  private final PiiCrypto crypto;
  private final Revocations revocations;
  private final Clock clock;
  // Compared against when the user does not exist, so that a wrong username costs as long
  // as a wrong password and does not reveal which usernames exist.
  private final String dummyHash;

  StaffUsers(JdbcClient jdbc, PasswordEncoder passwords, PasswordPolicy policy, Directory directory, PiiCrypto crypto,
      Revocations revocations, Clock clock) {
    this.jdbc = jdbc;
    this.passwords = passwords;
    this.policy = policy;
    this.directory = directory;
    this.crypto = crypto;
    this.revocations = revocations;
    this.clock = clock;
    this.dummyHash = passwords.encode(java.util.UUID.randomUUID().toString());
  }

  /** Creates a staff account other than ADMIN (whose second factor must be handed to someone). */
  @Transactional
  public StaffUser create(String username, String password, String roleName, String siteCode, String labCode) {
    if (Role.ADMIN.name().equals(roleName)) {
      throw new IllegalArgumentException("ADMIN accounts are created through the API or at bootstrap, which hand out their TOTP secret");
    }
    return enrol(username, password, roleName, siteCode, labCode, null, null).user();
  }

  /** Creates a staff account of a role bound to no site or lab, or a grid worker with their first grid. */
  @Transactional
  public StaffUser create(String username, String password, String roleName, String siteCode, String labCode, String gridCode) {
    if (Role.ADMIN.name().equals(roleName)) {
      throw new IllegalArgumentException("ADMIN accounts are created through the API or at bootstrap, which hand out their TOTP secret");
    }
    return enrol(username, password, roleName, siteCode, labCode, gridCode, null).user();
  }

  /**
   * Creates a staff account; an ADMIN gets the given TOTP secret (Base32), or a new one when
   * null.
   */
  @Transactional
  Enrolled enrol(String username, String password, String roleName, String siteCode, String labCode, String totpSecret) {
    return enrol(username, password, roleName, siteCode, labCode, null, totpSecret);
  }

  /**
   * The same; a GRID_WORKER needs {@code gridCode}, their first grid (the assignment is the
   * directory's, which scopes their follow-up work; ADR 0028).
   */
  @Transactional
  Enrolled enrol(String username, String password, String roleName, String siteCode, String labCode, String gridCode, String totpSecret) {
    return enrol(username, password, roleName, siteCode, labCode, gridCode, null, totpSecret);
  }

  /** Creates a staff account; a HOSPITAL account needs {@code hospitalCode}, the one hospital it reports for. */
  @Transactional
  public StaffUser createHospitalStaff(String username, String password, String hospitalCode) {
    return enrol(username, password, Role.HOSPITAL.name(), null, null, null, hospitalCode, null).user();
  }

  /** The same with every binding: site, lab, first grid or hospital by role. */
  @Transactional
  Enrolled enrol(String username, String password, String roleName, String siteCode, String labCode, String gridCode, String hospitalCode,
      String totpSecret) {
    ApiException.required("username", username);
    if (!USERNAME.matcher(username).matches()) {
      throw ApiException.badRequest("INVALID_USERNAME", "username", "username must be 3–64 lower-case letters, digits, '.', '_' or '-'");
    }
    policy.check("password", password);
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
    if (role.labBound()) {
      ApiException.required("labCode", labCode);
      if (directory.lab(labCode).isEmpty()) {
        throw ApiException.badRequest("UNKNOWN_LAB", "labCode", "No lab " + labCode);
      }
      lab = labCode;
    }
    if (role == Role.GRID_WORKER) {
      ApiException.required("gridCode", gridCode);
      if (directory.grid(gridCode).isEmpty()) {
        throw ApiException.badRequest("UNKNOWN_GRID", "gridCode", "No grid " + gridCode);
      }
    }
    if (role == Role.HOSPITAL) {
      ApiException.required("hospitalCode", hospitalCode);
      Directory.Hospital h = directory.hospital(hospitalCode)
          .orElseThrow(() -> ApiException.badRequest("UNKNOWN_HOSPITAL", "hospitalCode", "No hospital " + hospitalCode));
      if (!h.designated()) {
        throw ApiException.conflict("HOSPITAL_NOT_DESIGNATED", "Hospital " + hospitalCode + " is no longer designated: it gets no new accounts");
      }
    }
    String secret = role == Role.ADMIN ? (totpSecret == null ? Totp.newSecret() : totpSecret) : null;
    try {
      jdbc.sql("""
              insert into staff_users (username, password_hash, role, site_code, lab_code, created_at, totp_secret_enc)
              values (?, ?, ?, ?, ?, ?, ?)""")
          .params(username, passwords.encode(password), role.name(), site, lab, clock.instant().atOffset(ZoneOffset.UTC),
              crypto.encrypt(secret))
          .update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("USERNAME_TAKEN", "User " + username + " already exists");
    }
    if (role == Role.GRID_WORKER) {
      directory.assignGridWorker(username, gridCode);
    }
    if (role == Role.HOSPITAL) {
      directory.assignHospitalStaff(username, hospitalCode);
    }
    return new Enrolled(new StaffUser(username, role, site, lab), secret);
  }

  Optional<Account> account(String username) {
    return jdbc.sql("""
            select username, password_hash, role, site_code, lab_code, enabled, token_generation, totp_secret_enc
            from staff_users where username = ?""")
        .param(username)
        .query((rs, i) -> new Account(rs.getString(1), rs.getString(2), Role.valueOf(rs.getString(3)), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), rs.getInt(7), rs.getBytes(8)))
        .optional();
  }

  /** Whether the password is the account's (same cost when there is no such account). */
  boolean passwordMatches(Optional<Account> account, String password) {
    if (password.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > PasswordPolicy.MAX_BYTES) {
      // bcrypt refuses longer ones; no account has one
      passwords.matches("", dummyHash);
      return false;
    }
    if (account.isEmpty()) {
      passwords.matches(password, dummyHash);
      return false;
    }
    return passwords.matches(password, account.get().passwordHash());
  }

  /** The account's TOTP secret, or null. */
  byte[] totpSecret(Account account) {
    String base32 = crypto.decrypt(account.totpSecretEnc());
    return base32 == null ? null : Totp.decode(base32);
  }

  /**
   * Records that the step's code was used; false when it (or a later one) already was: a code
   * works once, on every copy, even when two logins race.
   */
  boolean useTotpStep(String username, long step) {
    return jdbc.sql("update staff_users set totp_last_step = ? where username = ? and (totp_last_step is null or totp_last_step < ?)")
        .params(step, username, step).update() == 1;
  }

  /** ADMIN accounts without a second factor yet (made before there was one). */
  List<String> adminsWithoutTotp() {
    return jdbc.sql("select username from staff_users where role = 'ADMIN' and totp_secret_enc is null order by username")
        .query(String.class).list();
  }

  void setTotpSecret(String username, String base32Secret) {
    jdbc.sql("update staff_users set totp_secret_enc = ?, totp_last_step = null where username = ?")
        .params(crypto.encrypt(base32Secret), username).update();
  }

  /** Sets a new password and revokes the account's tokens. */
  @Transactional
  void setPassword(String username, String password) {
    policy.check("password", password);
    int n = jdbc.sql("update staff_users set password_hash = ?, token_generation = token_generation + 1 where username = ?")
        .params(passwords.encode(password), username).update();
    if (n == 0) {
      throw notFound(username);
    }
    revocations.forgetAfterCommit();
  }

  /** Enables or disables an account; disabling revokes its tokens. */
  @Transactional
  void setEnabled(String username, boolean enabled) {
    int n = jdbc.sql("update staff_users set enabled = ?, token_generation = token_generation + case when ? then 0 else 1 end where username = ?")
        .params(enabled, enabled, username).update();
    if (n == 0) {
      throw notFound(username);
    }
    revocations.forgetAfterCommit();
  }

  List<Listed> list() {
    return jdbc.sql("""
            select username, role, site_code, lab_code, enabled, created_at, totp_secret_enc is not null
            from staff_users order by username""")
        .query((rs, i) -> new Listed(rs.getString(1), Role.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
            rs.getBoolean(5), rs.getObject(6, OffsetDateTime.class), rs.getBoolean(7)))
        .list();
  }

  /**
   * Disables the account if it still has this password (the demo accounts' published one);
   * an account whose password was changed is someone's own and stays. True when disabled now.
   */
  @Transactional
  public boolean disableIfPassword(String username, String password) {
    Optional<String> hash = jdbc.sql("select password_hash from staff_users where username = ? and enabled for update")
        .param(username).query(String.class).optional();
    if (hash.isEmpty() || !passwords.matches(password, hash.get())) {
      return false;
    }
    return jdbc.sql("update staff_users set enabled = false where username = ?").param(username).update() == 1;
  }

  /** Whether an account of this name exists (enabled or not); the demo city adds an account it gained later only once. */
  /** Whether each of these accounts may log in, by username. */
  java.util.Map<String, Boolean> enabled(List<String> usernames) {
    java.util.Map<String, Boolean> m = new java.util.TreeMap<>();
    jdbc.sql("select username, enabled from staff_users where username = any(?)").param(usernames.toArray(String[]::new))
        .query((rs, i) -> m.put(rs.getString(1), rs.getBoolean(2))).list();
    return m;
  }

  public boolean exists(String username) {
    return jdbc.sql("select count(*) from staff_users where username = ?").param(username).query(Integer.class).single() > 0;
  }

  private static ApiException notFound(String username) {
    return ApiException.notFound("USER_NOT_FOUND", "No staff user " + username);
  }

  private static final String STAFF_ROLES = java.util.Arrays.stream(Role.values())
      .filter(r -> r != Role.RESIDENT).map(Role::name).collect(java.util.stream.Collectors.joining(", "));

  private static Role parseRole(String roleName) {
    ApiException.required("role", roleName);
    try {
      return Role.valueOf(roleName);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_ROLE", "role", "role must be one of " + STAFF_ROLES);
    }
  }

  /** Enabled staff per lab and role (the lab network register, L8): lab code → role → count. */
  public java.util.Map<String, java.util.Map<Role, Integer>> countsByLab() {
    java.util.Map<String, java.util.Map<Role, Integer>> out = new java.util.TreeMap<>();
    jdbc.sql("select lab_code, role, count(*) from staff_users where lab_code is not null and enabled group by lab_code, role")
        .query((rs, i) -> out.computeIfAbsent(rs.getString(1), k -> new java.util.EnumMap<>(Role.class)).put(Role.valueOf(rs.getString(2)), rs.getInt(3)))
        .list();
    return out;
  }
}
