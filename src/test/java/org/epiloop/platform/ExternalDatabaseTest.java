package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.epiloop.EpiloopApplication;
import org.epiloop.support.Api;
import org.epiloop.support.DebianPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With spring.datasource.url set (production's external PostgreSQL; here a real server from
 * Debian's package, which {@code .ci/run} installs), Epiloop uses that
 * database — migrating it with Flyway — and starts no embedded server of its own. When that
 * database goes away, readiness goes DOWN and requests get 503 at once, until it is back.
 */
// Runs after LogPrivacyTest: starting a second application reconfigures logging for the
// whole JVM, which would detach the shared context's log file that LogPrivacyTest reads.
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class ExternalDatabaseTest {

  @Test
  void anExternalDatabaseIsUsedAsConfigured() throws Exception {
    Path dataDir = Files.createTempDirectory("epiloop-external-data-");
    // a real server from Debian's package, standing for the production database (its data is
    // kept when it stops: the test starts it again)
    DebianPostgres pg = DebianPostgres.start();
    try {
      String[] args = {"--server.port=0", "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false",
          "--epiloop.admin-password=external-admin-pw", "--logging.level.root=WARN",
          "--spring.datasource.url=" + pg.jdbcUrl(), "--spring.datasource.username=" + pg.username(),
          "--spring.datasource.password=" + pg.password(), "--epiloop.sms.gateway=dev", "--epiloop.secrets.pii-encryption=" + key(), "--epiloop.secrets.pii-hash=" + key(),
          "--epiloop.secrets.staff-token=" + key(), "--epiloop.secrets.appointment=" + key(), "--epiloop.secrets.venue=" + key(),
          "--epiloop.secrets.certificate=" + key(), "--spring.datasource.hikari.maximum-pool-size=3"};
      try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(args)) {
        assertThat(app.getBeanNamesForType(EmbeddedDatabaseConfiguration.class)).isEmpty();
        assertThat(dataDir.resolve("pg")).doesNotExist();
        assertThat(app.getBean(JdbcClient.class).sql("select count(*) from flyway_schema_history where success").query(Integer.class).single())
            .isGreaterThanOrEqualTo(4);
        assertThat(app.getBean(JdbcClient.class).sql("select inet_server_port()").query(Integer.class).single()).isEqualTo(pg.port());
        assertThat(app.getBean(JdbcClient.class).sql("select version()").query(String.class).single()).as("Debian's own server")
            .contains("Debian");
        assertThat(app.getBean(FailFastDataSource.class).getMaximumPoolSize()).isEqualTo(3);

        Api api = new Api("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
        // a login that reaches the database and fails (401) while it is up; admin's own would need a
        // fresh one-time code for each try
        Object login = Api.obj("username", "nobody-external", "password", "wrong-password-1");
        assertThat(api.post("/api/v1/auth/token", login).status()).isEqualTo(401);

        pg.stop(); // the database goes away
        await().atMost(Duration.ofSeconds(30)).until(() -> {
          Api.Res r = api.post("/api/v1/auth/token", login);
          assertThat(r.status()).isEqualTo(503);
          assertThat(r.code()).isEqualTo("DATABASE_UNAVAILABLE");
          assertThat(r.header("Retry-After")).isEqualTo("3");
          return api.get("/actuator/health/readiness").status() == 503;
        });
        assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
        long t = System.nanoTime();
        assertThat(api.post("/api/v1/auth/token", login).status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - t)).as("a request while the database is known to be down")
            .isLessThan(Duration.ofSeconds(1));

        pg.resume();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health/readiness").status() == 200);
        assertThat(api.post("/api/v1/auth/token", login).status()).isEqualTo(401);
      }
    } finally {
      pg.close();
    }
  }

  /**
   * Copies sharing a database must share every key: a copy that would generate one (here the
   * venue key, which the README once forgot) refuses to start and names what is missing.
   */
  @Test
  void aCopyThatWouldGenerateAKeyRefusesToStartOnASharedDatabase() throws Exception {
    Path dataDir = Files.createTempDirectory("epiloop-external-data-");
    try (DebianPostgres pg = DebianPostgres.start()) {
      String[] args = {"--server.port=0", "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false", "--epiloop.sms.gateway=dev",
          "--logging.level.root=OFF", "--spring.datasource.url=" + pg.jdbcUrl(),
          "--spring.datasource.username=" + pg.username(), "--spring.datasource.password=" + pg.password(), "--epiloop.secrets.pii-encryption=" + key(), "--epiloop.secrets.pii-hash=" + key(),
          "--epiloop.secrets.staff-token=" + key(), "--epiloop.secrets.appointment=" + key()};
      assertThatThrownBy(() -> new SpringApplicationBuilder(EpiloopApplication.class).run(args).close())
          .satisfies(e -> {
            Throwable root = e;
            while (root.getCause() != null) {
              root = root.getCause();
            }
            assertThat(root.getMessage()).contains("every key must be configured").contains("EPILOOP_SECRETS_VENUE")
                .doesNotContain("EPILOOP_SECRETS_PII_HASH");
          });
      assertThat(dataDir.resolve("secrets.properties")).as("no key generated").doesNotExist();
    }
  }

  static String key() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    return java.util.Base64.getEncoder().encodeToString(key);
  }
}
