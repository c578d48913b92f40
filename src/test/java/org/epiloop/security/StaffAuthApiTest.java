package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Staff login and account creation (X1); throttling, lockout and the ADMIN second factor (issue 13, ASVS L2). */
class StaffAuthApiTest extends IntegrationTest {

  @Test
  void loginGivesABearerTokenWithTheRole() {
    Corner c = corner();
    String name = unique("col").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "COLLECTOR", "siteCode", c.site())), 201);
    Api.Res t = ok(api().post("/api/v1/auth/token", Api.obj("username", name, "password", PASSWORD)), 200);
    assertThat(t.str("tokenType")).isEqualTo("Bearer");
    assertThat(t.str("role")).isEqualTo("COLLECTOR");
    assertThat(t.json().path("expiresIn").asLong()).isPositive();
    assertThat(t.str("accessToken")).isNotBlank();
  }

  @Test
  void wrongCredentialsAre401WithoutSayingWhichPartWasWrong() {
    // a fresh account, not admin: failures count towards a lockout now
    String name = official();
    Api.Res wrongPassword = login(name, "nope-nope-nope");
    Api.Res noUser = login("nobody-here", "nope-nope-nope");
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(noUser.status()).isEqualTo(401);
    assertThat(wrongPassword.code()).isEqualTo("BAD_CREDENTIALS").isEqualTo(noUser.code());
    assertThat(wrongPassword.str("detail")).isEqualTo(noUser.str("detail"));
    assertThat(api().post("/api/v1/auth/token", Api.obj("username", name)).str("field")).isEqualTo("password");
  }

  @Test
  void forgedOrExpiredTokensAreRejected() {
    String token = adminToken();
    String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    Api.Res r = api().as(forged).get("/api/v1/districts");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("UNAUTHORIZED");
    assertThat(api().as("not.a.jwt").get("/api/v1/districts").status()).isEqualTo(401);
    clock.advance(Duration.ofDays(100));
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
  }

  @Test
  void staffAccountsAreValidated() {
    Corner c = corner();
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("u").toLowerCase(), "password", PASSWORD, "role", "COLLECTOR"))
        .str("field")).isEqualTo("siteCode");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("u").toLowerCase(), "password", PASSWORD, "role", "LAB_TECH", "labCode", "NOPE"))
        .code()).isEqualTo("UNKNOWN_LAB");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("u").toLowerCase(), "password", "short", "role", "OFFICIAL"))
        .code()).isEqualTo("WEAK_PASSWORD");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", unique("u").toLowerCase(), "password", PASSWORD, "role", "KING"))
        .code()).isEqualTo("INVALID_ROLE");
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", "Bad Name", "password", PASSWORD, "role", "OFFICIAL"))
        .code()).isEqualTo("INVALID_USERNAME");
    String name = unique("u").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "LAB_TECH", "labCode", c.lab())), 201);
    assertThat(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "OFFICIAL")).code())
        .isEqualTo("USERNAME_TAKEN");
    String audit = jdbc.sql("select action from audit_log where subject_type = 'staff_user' and subject_id = ?").param(name).query(String.class).single();
    assertThat(audit).isEqualTo("STAFF_USER_CREATED");
  }

  // ------------------------------------------------------------------ throttling and lockout

  @Test
  void fiveFailuresLockTheAccountAndTheAnswerDoesNotTellWhetherThePasswordWasRight() {
    String name = official();
    for (int i = 0; i < StaffLogin.ACCOUNT.max(); i++) {
      assertThat(login(name, "wrong-password-" + i).code()).isEqualTo("BAD_CREDENTIALS");
    }
    Api.Res right = login(name, PASSWORD);
    Api.Res wrong = login(name, "wrong-password-x");
    for (Api.Res r : new Api.Res[] {right, wrong}) {
      assertThat(r.status()).isEqualTo(429);
      assertThat(r.code()).isEqualTo("LOGIN_LOCKED");
      assertThat(Long.parseLong(r.header("Retry-After"))).isBetween(1L, StaffLogin.ACCOUNT.window().toSeconds());
    }
    assertThat(right.text()).isEqualTo(wrong.text());
    // an unknown username locks the same way: a lockout tells nothing about which exist
    String nobody = unique("nobody").toLowerCase();
    for (int i = 0; i < StaffLogin.ACCOUNT.max(); i++) {
      login(nobody, "wrong-password-" + i);
    }
    assertThat(login(nobody, "wrong-password-x").code()).isEqualTo("LOGIN_LOCKED");
    // the lock ends with its window
    clock.advance(Duration.ofSeconds(Long.parseLong(right.header("Retry-After")) + 1));
    ok(login(name, PASSWORD), 200);
  }

  @Test
  void aSuccessfulLoginClearsTheAccountsFailures() {
    String name = official();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < StaffLogin.ACCOUNT.max() - 1; i++) {
        assertThat(login(name, "wrong-password-" + i).status()).isEqualTo(401);
      }
      ok(login(name, PASSWORD), 200);
    }
  }

  @Test
  void failuresFromOneAddressAreLimitedAcrossAccounts() {
    forgetFailedLogins();
    String name = official();
    // password spraying: one try per username, never enough to lock any of them
    for (int i = 0; i < StaffLogin.ADDRESS.max(); i++) {
      assertThat(login(unique("spray").toLowerCase(), "summer-spray-2026").code()).isEqualTo("BAD_CREDENTIALS");
    }
    Api.Res r = login(name, PASSWORD);
    assertThat(r.status()).isEqualTo(429);
    assertThat(r.code()).isEqualTo("LOGIN_RATE_LIMITED");
    long retry = Long.parseLong(r.header("Retry-After"));
    assertThat(retry).isBetween(1L, StaffLogin.ADDRESS.window().toSeconds());
    clock.advance(Duration.ofSeconds(retry + 1));
    ok(login(name, PASSWORD), 200);
  }

  // ------------------------------------------------------------------ passwords

  @Test
  void shortAndCommonPasswordsAreRefusedAtEveryEntryPoint() {
    String[] weak = {"short-pw", "password1234", "Password-2024!", "qwertyuiop123", "iloveyou12345"};
    String name = official();
    String token = token(name, PASSWORD);
    for (String pw : weak) {
      Api.Res create = admin().post("/api/v1/admin/users", Api.obj("username", unique("u").toLowerCase(), "password", pw, "role", "OFFICIAL"));
      Api.Res reset = admin().post("/api/v1/admin/users/" + name + "/password", Api.obj("password", pw));
      Api.Res change = api().as(token).post("/api/v1/auth/password", Api.obj("currentPassword", PASSWORD, "password", pw));
      for (Api.Res r : new Api.Res[] {create, reset, change}) {
        assertThat(r.status()).as(pw + " → " + r).isEqualTo(400);
        assertThat(r.code()).isEqualTo("WEAK_PASSWORD");
        assertThat(r.str("field")).isEqualTo("password");
      }
    }
    // nothing changed: the account still logs in with its password and its token works
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(200);
    ok(login(name, PASSWORD), 200);
  }

  // ------------------------------------------------------------------ second factor

  @Test
  void anAdminLogsInWithAFreshOneTimeCode() {
    String name = unique("adm").toLowerCase();
    Api.Res created = ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "ADMIN")), 201);
    String uri = created.str("totpUri");
    assertThat(uri).startsWith("otpauth://totp/Epiloop%3A" + name + "?secret=").contains("issuer=Epiloop");
    String secret = totpSecret(uri);
    // the secret is kept encrypted, and the list never shows it
    byte[] stored = jdbc.sql("select totp_secret_enc from staff_users where username = ?").param(name).query(byte[].class).single();
    assertThat(new String(stored, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(secret);
    assertThat(admin().get("/api/v1/admin/users").text()).doesNotContain(secret).contains(name);

    Api.Res without = login(name, PASSWORD);
    assertThat(without.status()).isEqualTo(401);
    assertThat(without.code()).isEqualTo("TOTP_REQUIRED");
    assertThat(without.str("field")).isEqualTo("totp");
    assertThat(without.json().has("accessToken")).isFalse();
    // a wrong password is just wrong credentials, code or not
    assertThat(login(name, "wrong-password-1", totp(secret)).code()).isEqualTo("BAD_CREDENTIALS");
    String wrongCode = totp(secret).equals("000000") ? "111111" : "000000";
    assertThat(login(name, PASSWORD, wrongCode).code()).isEqualTo("INVALID_TOTP");

    String code = totp(secret);
    Api.Res in = ok(login(name, PASSWORD, code), 200);
    assertThat(in.str("role")).isEqualTo("ADMIN");
    assertThat(api().as(in.str("accessToken")).get("/api/v1/admin/users").status()).isEqualTo(200);
    // a code works once, even a second later
    Api.Res replay = login(name, PASSWORD, code);
    assertThat(replay.status()).isEqualTo(401);
    assertThat(replay.code()).isEqualTo("INVALID_TOTP");
    // the next step's code works
    clock.advance(Duration.ofSeconds(30));
    ok(login(name, PASSWORD, totp(secret)), 200);
    // and the one of a step that was already passed does not
    assertThat(login(name, PASSWORD, totp(secret, clock.instant().minusSeconds(30))).code()).isEqualTo("INVALID_TOTP");
  }

  @Test
  void wrongOneTimeCodesCountTowardsTheLockout() {
    String name = unique("adm").toLowerCase();
    String secret = totpSecret(ok(admin().post("/api/v1/admin/users",
        Api.obj("username", name, "password", PASSWORD, "role", "ADMIN")), 201).str("totpUri"));
    String wrongCode = totp(secret).equals("000000") ? "111111" : "000000";
    for (int i = 0; i < StaffLogin.ACCOUNT.max(); i++) {
      assertThat(login(name, PASSWORD, wrongCode).code()).isEqualTo("INVALID_TOTP");
    }
    assertThat(login(name, PASSWORD, totp(secret)).code()).isEqualTo("LOGIN_LOCKED");
  }

  // ------------------------------------------------------------------ revocation

  @Test
  void logoutRevokesThePresentedTokenOnly() {
    String name = official();
    String first = ok(login(name, PASSWORD), 200).str("accessToken");
    String second = ok(login(name, PASSWORD), 200).str("accessToken");
    assertThat(api().as(first).post("/api/v1/auth/logout", null).status()).isEqualTo(204);
    assertThat(api().as(first).get("/api/v1/districts").status()).isEqualTo(401);
    assertThat(api().as(first).post("/api/v1/auth/logout", null).status()).isEqualTo(401);
    assertThat(api().as(second).get("/api/v1/districts").status()).isEqualTo(200);
    assertThat(api().post("/api/v1/auth/logout", null).status()).isEqualTo(401);
  }

  @Test
  void aResidentLogsOutToo() {
    Api resident = org.epiloop.support.Residents.login(api(), admin(), org.epiloop.support.Ids.phone());
    assertThat(resident.get("/api/v1/resident/persons").status()).isEqualTo(200);
    assertThat(resident.post("/api/v1/auth/logout", null).status()).isEqualTo(204);
    assertThat(resident.get("/api/v1/resident/persons").status()).isEqualTo(401);
  }

  @Test
  void disablingAnAccountRevokesItsTokensAndRefusesItsLogins() {
    String name = official();
    String token = ok(login(name, PASSWORD), 200).str("accessToken");
    assertThat(admin().post("/api/v1/admin/users/" + name + "/disable", null).status()).isEqualTo(204);
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
    assertThat(login(name, PASSWORD).code()).isEqualTo("BAD_CREDENTIALS");
    assertThat(listed(name).path("enabled").asBoolean()).isFalse();
    assertThat(admin().post("/api/v1/admin/users/nobody-at-all/disable", null).code()).isEqualTo("USER_NOT_FOUND");
    assertThat(admin().post("/api/v1/admin/users/admin/disable", null).code()).isEqualTo("CANNOT_DISABLE_SELF");

    assertThat(admin().post("/api/v1/admin/users/" + name + "/enable", null).status()).isEqualTo(204);
    assertThat(listed(name).path("enabled").asBoolean()).isTrue();
    // the old token stays revoked; a new login works
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
    String fresh = ok(login(name, PASSWORD), 200).str("accessToken");
    assertThat(api().as(fresh).get("/api/v1/districts").status()).isEqualTo(200);
    assertThat(jdbc.sql("select action from audit_log where subject_type = 'staff_user' and subject_id = ? order by id").param(name)
        .query(String.class).list()).containsExactly("STAFF_USER_CREATED", "STAFF_USER_DISABLED", "STAFF_USER_ENABLED");
  }

  @Test
  void changingOnesPasswordRevokesEveryTokenOfTheAccount() {
    String name = official();
    String token = ok(login(name, PASSWORD), 200).str("accessToken");
    String other = ok(login(name, PASSWORD), 200).str("accessToken");
    Api.Res wrong = api().as(token).post("/api/v1/auth/password", Api.obj("currentPassword", "not-my-password", "password", "a-new-staff-passphrase"));
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.code()).isEqualTo("WRONG_PASSWORD");
    assertThat(wrong.str("field")).isEqualTo("currentPassword");
    assertThat(api().as(token).post("/api/v1/auth/password", Api.obj("currentPassword", PASSWORD, "password", "a-new-staff-passphrase"))
        .status()).isEqualTo(204);
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
    assertThat(api().as(other).get("/api/v1/districts").status()).isEqualTo(401);
    assertThat(login(name, PASSWORD).code()).isEqualTo("BAD_CREDENTIALS");
    ok(login(name, "a-new-staff-passphrase"), 200);
    // residents have no password to change
    Api resident = org.epiloop.support.Residents.login(api(), admin(), org.epiloop.support.Ids.phone());
    assertThat(resident.post("/api/v1/auth/password", Api.obj("currentPassword", "x", "password", "y")).status()).isEqualTo(403);
  }

  @Test
  void anAdminsPasswordResetRevokesTheAccountsTokens() {
    String name = official();
    String token = ok(login(name, PASSWORD), 200).str("accessToken");
    assertThat(admin().post("/api/v1/admin/users/" + name + "/password", Api.obj("password", "reset-by-the-admin-7")).status()).isEqualTo(204);
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
    ok(login(name, "reset-by-the-admin-7"), 200);
    assertThat(admin().post("/api/v1/admin/users/nobody-at-all/password", Api.obj("password", "reset-by-the-admin-7")).code())
        .isEqualTo("USER_NOT_FOUND");
  }

  @Test
  void aRevocationMadeOnAnotherCopyTakesEffectWithinSeconds() {
    String name = official();
    String token = ok(login(name, PASSWORD), 200).str("accessToken");
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(200);
    // another copy disables the account: only the database changes, this copy's answer is kept a moment
    jdbc.sql("update staff_users set enabled = false, token_generation = token_generation + 1 where username = ?").param(name).update();
    clock.advance(Revocations.CHECK_TTL.plusSeconds(1));
    assertThat(api().as(token).get("/api/v1/districts").status()).isEqualTo(401);
  }

  private String official() {
    String name = unique("off").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "OFFICIAL")), 201);
    return name;
  }

  private Api.Res login(String username, String password) {
    return api().post("/api/v1/auth/token", Api.obj("username", username, "password", password));
  }

  private Api.Res login(String username, String password, String totp) {
    return api().post("/api/v1/auth/token", Api.obj("username", username, "password", password, "totp", totp));
  }

  private tools.jackson.databind.JsonNode listed(String username) {
    for (tools.jackson.databind.JsonNode u : ok(admin().get("/api/v1/admin/users"), 200).json()) {
      if (username.equals(u.path("username").asString())) {
        return u;
      }
    }
    throw new AssertionError(username + " is not listed");
  }
}
