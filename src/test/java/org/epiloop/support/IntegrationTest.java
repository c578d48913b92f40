package org.epiloop.support;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.InvalidKeyException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.EpiloopApplication;
import org.epiloop.shared.Base32;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the integration tests: the whole application on a random port, on a real embedded
 * PostgreSQL in a fresh temporary data directory, with a clock tests can move. All
 * subclasses share one Spring context (same configuration), so the database starts once per
 * test run; tests isolate themselves by using fresh codes ({@link #unique}).
 */
@SpringBootTest(classes = EpiloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"epiloop.demo=false", "epiloop.admin-password=" + IntegrationTest.ADMIN_PASSWORD,
        "epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET,
        // tests move the clock by days; tokens must outlive that
        "epiloop.staff-token-ttl=90d", "epiloop.resident-token-ttl=90d",
        // tests check the command centre's figures right after each step (and move the clock):
        // no snapshots there; Snapshots has its own test
        "epiloop.dashboard.snapshot-max-age=0s",
        // residents log in with codes read from the development outbox; every test client is on
        // this machine: the per-address login-code limit would stop the suite, and the local
        // address is a trusted proxy so that tests can stand for other clients with
        // X-Forwarded-For (ProductionStartTest checks the limits themselves)
        "epiloop.sms.gateway=dev", "epiloop.sms.otp-per-address-per-minute=100000", "epiloop.sms.otp-per-minute=100000",
        "epiloop.trusted-proxies=127.0.0.1,::1",
        // the officials paged by SMS when a critical result is raised (AlertsApiTest reads their outbox)
        "epiloop.alerts.on-duty-phones=" + IntegrationTest.ON_DUTY_PHONES,
        // a positive tube is kept 30 days here (2 years in production): the clock moves past it
        // while the tests' 90-day tokens still hold (SampleBankApiTest)
        "epiloop.sample-bank.positive-retention=30d",
        // the whole run's log goes to a file that LogPrivacyTest reads at the end; request
        // bodies are logged (DEBUG) so that a leak through them would show
        // (the request-line logger stays at INFO, as in production: the contract's
        // GET /admin/sms-outbox?phone= carries a phone in its URL)
        "logging.file.name=target/test-logs/epiloop-${PID}.log", "logging.level.org.springframework.web=DEBUG",
        "logging.level.org.springframework.web.servlet.DispatcherServlet=INFO",
        "logging.level.org.epiloop=DEBUG", "logging.threshold.console=INFO"})
@Import(IntegrationTest.TestClockConfig.class)
public abstract class IntegrationTest {

  public static final String ADMIN_PASSWORD = "admin-test-password";
  /** The bootstrap admin's second factor (Base32, 160 bits): {@link #admin()} computes its codes. */
  public static final String ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  /** Every staff user the tests create has this password (12+ characters, not a common one). */
  public static final String PASSWORD = "staff-test-passphrase";
  /** The on-duty officials' phones (epiloop.alerts.on-duty-phones). */
  public static final String ON_DUTY_PHONES = "13800138001,13800138002";
  private static final Path DATA_DIR = tempDir();
  private static final Map<String, String> TOKENS = new ConcurrentHashMap<>();

  @LocalServerPort protected int port;
  @Autowired protected MutableClock clock;
  @Autowired protected JdbcClient jdbc;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry r) {
    r.add("epiloop.data-dir", DATA_DIR::toString);
  }

  @TestConfiguration(proxyBeanMethods = false)
  public static class TestClockConfig {
    @Bean
    @Primary
    MutableClock mutableClock() {
      return new MutableClock();
    }
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  /**
   * Every test logs in from 127.0.0.1: the failed logins one test makes (on purpose, or a fuzzer
   * sending junk to /auth/token) must not lock the next test's logins out.
   */
  @AfterEach
  protected void forgetFailedLogins() {
    jdbc.sql("delete from rate_limits where limit_name like 'staff-login-%'").update();
  }

  protected Api api() {
    return new Api("http://localhost:" + port, null);
  }

  /** A bearer token for a user (cached per user). */
  protected String token(String username, String password) {
    return token(username, password, null);
  }

  /**
   * A bearer token for a user with a second factor (cached per user): the code is computed from
   * the secret at the server's time (the clock tests move), when the login happens.
   */
  protected String token(String username, String password, String totpSecret) {
    return TOKENS.computeIfAbsent(username, u -> {
      Api.Res r = api().post("/api/v1/auth/token",
          Api.obj("username", u, "password", password, "totp", totpSecret == null ? null : totp(totpSecret)));
      if (r.status() != 200) {
        throw new IllegalStateException("login of " + u + " failed: " + r);
      }
      return r.str("accessToken");
    });
  }

  /** The bootstrap admin: password {@link #ADMIN_PASSWORD} and a code from {@link #ADMIN_TOTP_SECRET}. */
  protected String adminToken() {
    return token("admin", ADMIN_PASSWORD, ADMIN_TOTP_SECRET);
  }

  protected Api admin() {
    return api().as(adminToken());
  }

  /** The current one-time code (RFC 6238: SHA-1, 6 digits, 30 s) of a Base32 secret, at the server's time. */
  protected String totp(String base32Secret) {
    return totp(base32Secret, clock.instant());
  }

  public static String totp(String base32Secret, Instant at) {
    try {
      return new TimeBasedOneTimePasswordGenerator()
          .generateOneTimePasswordString(new SecretKeySpec(Base32.decode(base32Secret), "HmacSHA1"), at);
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A code unique within this test run, e.g. {@code unique("T")} → {@code T-1a2b3c4d}. */
  protected static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A city corner: a district with one site and a collector there; returns its codes and a collector client. */
  protected Corner corner() {
    return corner(33.96, 118.27);
  }

  /** A city corner whose site is at the given coordinates and whose lab is close by. */
  protected Corner corner(double latitude, double longitude) {
    String district = unique("D");
    String site = unique("S");
    String lab = unique("L");
    String collector = unique("col").toLowerCase();
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "区 " + district)), 201);
    ok(admin().post("/api/v1/sites", Api.obj("code", site, "name", "采样点 " + site, "districtCode", district,
        "latitude", latitude, "longitude", longitude)), 201);
    ok(admin().post("/api/v1/labs", Api.obj("code", lab, "name", "Lab " + lab, "districtCode", district, "dailyCapacity", 50000,
        "latitude", latitude - 0.01, "longitude", longitude + 0.015)), 201);
    ok(admin().post("/api/v1/admin/users", Api.obj("username", collector, "password", PASSWORD, "role", "COLLECTOR", "siteCode", site)), 201);
    return new Corner(district, site, lab, api().as(token(collector, PASSWORD)));
  }

  /** Codes of a district with one site and one lab, and a collector of that site. */
  public record Corner(String district, String site, String lab, Api collector) {}

  /**
   * Creates a staff user and returns a client logged in as them (an ADMIN with a code from the
   * TOTP secret the creation answered with).
   */
  protected Api staff(String role, String siteCode, String labCode) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    Api.Res created = ok(admin().post("/api/v1/admin/users",
        Api.obj("username", name, "password", PASSWORD, "role", role, "siteCode", siteCode, "labCode", labCode)), 201);
    tools.jackson.databind.JsonNode totpUri = created.json().path("totpUri");
    return api().as(token(name, PASSWORD, totpUri.isString() ? totpSecret(totpUri.asString()) : null));
  }

  /** The Base32 secret in an {@code otpauth://} URI. */
  protected static String totpSecret(String otpauthUri) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]secret=([A-Z2-7]+)").matcher(otpauthUri);
    if (!m.find()) {
      throw new IllegalArgumentException("no secret in " + otpauthUri);
    }
    return m.group(1);
  }

  protected static Api.Res ok(Api.Res r, int expected) {
    if (r.status() != expected) {
      throw new AssertionError("expected " + expected + " but got " + r);
    }
    return r;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("epiloop-test-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
