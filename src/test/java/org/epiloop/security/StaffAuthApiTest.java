package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Staff login and account creation (X1). */
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
    Api.Res wrongPassword = api().post("/api/v1/auth/token", Api.obj("username", "admin", "password", "nope-nope"));
    Api.Res noUser = api().post("/api/v1/auth/token", Api.obj("username", "nobody-here", "password", "nope-nope"));
    assertThat(wrongPassword.status()).isEqualTo(401);
    assertThat(noUser.status()).isEqualTo(401);
    assertThat(wrongPassword.str("detail")).isEqualTo(noUser.str("detail"));
    assertThat(api().post("/api/v1/auth/token", Api.obj("username", "admin")).str("field")).isEqualTo("password");
  }

  @Test
  void forgedOrExpiredTokensAreRejected() {
    String token = token("admin", ADMIN_PASSWORD);
    String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    Api.Res r = api().as(forged).get("/api/v1/districts");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.code()).isEqualTo("UNAUTHORIZED");
    assertThat(api().as("not.a.jwt").get("/api/v1/districts").status()).isEqualTo(401);
    clock.advance(java.time.Duration.ofDays(100));
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
}
