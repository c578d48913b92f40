package org.epiloop.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.epiloop.EpiloopApplication;
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
        // tests move the clock by days; tokens must outlive that
        "epiloop.staff-token-ttl=90d", "epiloop.resident-token-ttl=90d",
        // tests check the command centre's figures right after each step (and move the clock):
        // no snapshots there; Snapshots has its own test
        "epiloop.dashboard.snapshot-max-age=0s",
        // the officials paged by SMS when a critical result is raised (AlertsApiTest reads their outbox)
        "epiloop.alerts.on-duty-phones=" + IntegrationTest.ON_DUTY_PHONES,
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
  public static final String PASSWORD = "password-123";
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

  protected Api api() {
    return new Api("http://localhost:" + port, null);
  }

  /** A bearer token for a user (cached per user). */
  protected String token(String username, String password) {
    return TOKENS.computeIfAbsent(username, u -> {
      Api.Res r = api().post("/api/v1/auth/token", Api.obj("username", u, "password", password));
      if (r.status() != 200) {
        throw new IllegalStateException("login of " + u + " failed: " + r);
      }
      return r.str("accessToken");
    });
  }

  protected Api admin() {
    return api().as(token("admin", ADMIN_PASSWORD));
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

  /** Creates a staff user and returns a client logged in as them. */
  protected Api staff(String role, String siteCode, String labCode) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role, "siteCode", siteCode, "labCode", labCode)), 201);
    return api().as(token(name, PASSWORD));
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
