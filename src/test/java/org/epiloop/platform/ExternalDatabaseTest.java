package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.epiloop.EpiloopApplication;
import org.epiloop.support.Api;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With spring.datasource.url set (production's external PostgreSQL), Epiloop uses that
 * database — migrating it with Flyway — and starts no embedded server of its own. When that
 * database goes away, readiness goes DOWN and requests get 503 at once, until it is back.
 */
// Runs after LogPrivacyTest: starting a second application reconfigures logging for the
// whole JVM, which would detach the shared context's log file that LogPrivacyTest reads.
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class ExternalDatabaseTest {

  @Test
  void anExternalDatabaseIsUsedAsConfigured() throws Exception {
    Path external = Files.createTempDirectory("epiloop-external-pg-");
    Path dataDir = Files.createTempDirectory("epiloop-external-data-");
    // a PostgreSQL server this test starts by itself, standing for the production database
    // (its data directory is kept when it stops: the test starts it again)
    EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(external).setCleanDataDirectory(false).start();
    int pgPort = pg.getPort();
    try {
      String[] args = {"--server.port=0", "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false",
          "--epiloop.admin-password=external-admin-pw", "--logging.level.root=WARN",
          "--spring.datasource.url=" + pg.getJdbcUrl("postgres", "postgres"), "--spring.datasource.username=postgres",
          "--spring.datasource.hikari.maximum-pool-size=3"};
      try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(args)) {
        assertThat(app.getBeanNamesForType(EmbeddedDatabaseConfiguration.class)).isEmpty();
        assertThat(dataDir.resolve("pg")).doesNotExist();
        assertThat(app.getBean(JdbcClient.class).sql("select count(*) from flyway_schema_history where success").query(Integer.class).single())
            .isGreaterThanOrEqualTo(4);
        assertThat(app.getBean(JdbcClient.class).sql("select inet_server_port()").query(Integer.class).single()).isEqualTo(pg.getPort());
        assertThat(app.getBean(FailFastDataSource.class).getMaximumPoolSize()).isEqualTo(3);

        Api api = new Api("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
        Object login = Api.obj("username", "admin", "password", "external-admin-pw");
        assertThat(api.post("/api/v1/auth/token", login).status()).isEqualTo(200);

        pg.close(); // the database goes away
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

        pg = EmbeddedPostgres.builder().setDataDirectory(external).setCleanDataDirectory(false).setPort(pgPort).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.get("/actuator/health/readiness").status() == 200);
        assertThat(api.post("/api/v1/auth/token", login).status()).isEqualTo(200);
      }
    } finally {
      pg.close();
    }
  }
}
