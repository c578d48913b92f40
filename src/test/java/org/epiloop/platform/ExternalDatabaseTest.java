package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.epiloop.EpiloopApplication;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * With spring.datasource.url set (production's external PostgreSQL), Epiloop uses that
 * database — migrating it with Flyway — and starts no embedded server of its own.
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
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(external).setCleanDataDirectory(true).start()) {
      String[] args = {"--server.port=0", "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false",
          "--epiloop.admin-password=external-admin-pw", "--logging.level.root=WARN",
          "--spring.datasource.url=" + pg.getJdbcUrl("postgres", "postgres"), "--spring.datasource.username=postgres"};
      try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(args)) {
        assertThat(app.getBeanNamesForType(EmbeddedDatabaseConfiguration.class)).isEmpty();
        assertThat(dataDir.resolve("pg")).doesNotExist();
        assertThat(app.getBean(JdbcClient.class).sql("select count(*) from flyway_schema_history where success").query(Integer.class).single())
            .isGreaterThanOrEqualTo(4);
        assertThat(app.getBean(JdbcClient.class).sql("select inet_server_port()").query(Integer.class).single()).isEqualTo(pg.getPort());
      }
    }
  }
}
