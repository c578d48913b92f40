package org.epiloop.platform;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts a real PostgreSQL server from the zonky binaries when no external database is
 * configured ({@code spring.datasource.url} unset). Its data lives in
 * {@code <data-dir>/pg} and survives restarts.
 *
 * <p>zonky starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off};
 * both are switched back on here because this database is the system of record, and the
 * settings are checked after start so a silent regression fails fast.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

  /**
   * The database outlives every bean that uses it: the DataSource owns the server and stops
   * it when it closes, and beans that touch the database while being destroyed (Spring
   * Modulith's event registry records its shutdown) are ordered to go first.
   */
  @Bean
  static BeanFactoryPostProcessor destroyDatabaseLast() {
    return beanFactory -> {
      for (String name : beanFactory.getBeanDefinitionNames()) {
        if (name.equals("eventPublicationRegistry")) {
          BeanDefinition definition = beanFactory.getBeanDefinition(name);
          String[] before = definition.getDependsOn() == null ? new String[0] : definition.getDependsOn();
          String[] after = java.util.Arrays.copyOf(before, before.length + 1);
          after[before.length] = "dataSource";
          definition.setDependsOn(after);
        }
      }
    };
  }

  private static EmbeddedPostgres start(EpiloopProperties properties) throws IOException {
    Path pgDir = properties.dataDirectory().resolve("pg");
    Files.createDirectories(pgDir.getParent());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(pgDir)
            .setCleanDataDirectory(false)
            .setServerConfig("fsync", "on")
            .setServerConfig("synchronous_commit", "on")
            .setServerConfig("full_page_writes", "on")
            .setServerConfig("max_connections", "120")
            .setServerConfig("shared_buffers", "256MB")
            .setServerConfig("wal_buffers", "16MB")
            .setServerConfig("max_wal_size", "2GB")
            .setServerConfig("commit_delay", "0")
            .setServerConfig("timezone", "UTC")
            .setPGStartupWait(java.time.Duration.ofSeconds(60));
    if (properties.embeddedDbPort() > 0) {
      builder.setPort(properties.embeddedDbPort());
    }
    EmbeddedPostgres pg = builder.start();
    log.info("Embedded PostgreSQL started on port {} with data in {}", pg.getPort(), pgDir);
    return pg;
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(EpiloopProperties properties, org.springframework.core.env.Environment env)
      throws SQLException, IOException {
    EmbeddedPostgres pg = start(properties);
    OwningDataSource ds = new OwningDataSource(pg);
    ds.setJdbcUrl(pg.getJdbcUrl("postgres", "postgres"));
    ds.setUsername("postgres");
    ds.setPoolName("epiloop-embedded");
    ds.setMaximumPoolSize(env.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 8));
    ds.setMinimumIdle(env.getProperty("spring.datasource.hikari.minimum-idle", Integer.class, 4));
    ds.setConnectionTimeout(env.getProperty("spring.datasource.hikari.connection-timeout", Long.class, 5000L));
    ds.addDataSourceProperty("reWriteBatchedInserts", "true");
    verifyDurability(ds);
    return ds;
  }

  /** A connection pool that stops its embedded server after its last connection closes. */
  static final class OwningDataSource extends HikariDataSource {
    private final EmbeddedPostgres pg;

    OwningDataSource(EmbeddedPostgres pg) {
      this.pg = pg;
    }

    @Override
    public void close() {
      super.close();
      try {
        pg.close();
      } catch (IOException e) {
        log.warn("Embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
      }
    }
  }

  private static void verifyDurability(DataSource ds) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit"}) {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          if (!"on".equals(rs.getString(1))) {
            throw new IllegalStateException(
                "Embedded PostgreSQL runs with " + setting + "=" + rs.getString(1)
                    + "; Epiloop refuses to keep results on a database that may lose commits");
          }
        }
      }
    }
  }
}
