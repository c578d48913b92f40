package org.epiloop.platform;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Starts a real PostgreSQL server from the zonky binaries when no external database is
 * configured ({@code spring.datasource.url} unset). Its data lives in
 * {@code <data-dir>/pg} and survives restarts.
 *
 * <p>zonky's defaults ({@code -F}, fsync off, and {@code synchronous_commit=off}) are for
 * throwaway test databases; both are switched back on here because this database is the
 * system of record, and the settings are checked after start so a silent regression fails
 * fast. How the server is started, taken over after a crash, locked with a password and
 * restarted when it dies: {@link EmbeddedServer}.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

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

  /** The server's settings with the default commit batching. */
  static Map<String, String> settings() {
    return settings(DEFAULT_COMMIT_DELAY_MICROS, DEFAULT_COMMIT_SIBLINGS);
  }

  /**
   * Commit batching (ADR 0021): with {@code commit_delay} a committing transaction waits that many
   * microseconds for others before its WAL flush when at least {@code commit_siblings} others are
   * open, so one fsync makes several commits durable. Durability is unchanged: every commit still
   * returns only once its WAL is flushed (synchronous_commit and fsync stay on).
   */
  static final int DEFAULT_COMMIT_DELAY_MICROS = 0;
  static final int DEFAULT_COMMIT_SIBLINGS = 5;

  /** The server's settings; zonky's defaults are for throwaway test databases. */
  static Map<String, String> settings(int commitDelayMicros, int commitSiblings) {
    if (commitDelayMicros < 0 || commitDelayMicros > 100_000 || commitSiblings < 0 || commitSiblings > 1000) {
      throw new IllegalArgumentException("epiloop.db.commit-delay must be 0..100000 µs and epiloop.db.commit-siblings 0..1000");
    }
    Map<String, String> c = new LinkedHashMap<>();
    c.put("fsync", "on");
    c.put("synchronous_commit", "on");
    c.put("full_page_writes", "on");
    c.put("max_connections", "120");
    c.put("shared_buffers", "256MB");
    c.put("wal_buffers", "16MB");
    c.put("max_wal_size", "2GB");
    c.put("commit_delay", Integer.toString(commitDelayMicros));
    c.put("commit_siblings", Integer.toString(commitSiblings));
    c.put("timezone", "UTC");
    // crash recovery first makes sure all of the data directory is on disk: one syncfs() of
    // its file system rather than an fsync() of each of its thousand files (seconds here)
    c.put("recovery_init_sync_method", "syncfs");
    return c;
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(EpiloopProperties properties, Environment env, DatabaseAvailability availability)
      throws SQLException, IOException {
    Path secrets = SecretsFile.locate(properties.dataDirectory(), env.getProperty(SecretsFile.SETTING));
    EmbeddedServer server = EmbeddedServer.start(properties.dataDirectory(), properties.embeddedDbPort(),
        settings(env.getProperty("epiloop.db.commit-delay", Integer.class, DEFAULT_COMMIT_DELAY_MICROS),
            env.getProperty("epiloop.db.commit-siblings", Integer.class, DEFAULT_COMMIT_SIBLINGS)), secrets);
    OwningDataSource ds = new OwningDataSource(server, availability);
    ds.setJdbcUrl(server.jdbcUrl());
    ds.setUsername(EmbeddedServer.USER);
    ds.setPassword(SecretsFile.read(secrets).getProperty(EmbeddedServer.PASSWORD_ENTRY));
    ds.setPoolName("epiloop-embedded");
    ds.setMaximumPoolSize(env.getProperty("spring.datasource.hikari.maximum-pool-size", Integer.class, 8));
    ds.setMinimumIdle(env.getProperty("spring.datasource.hikari.minimum-idle", Integer.class, 4));
    ds.setConnectionTimeout(env.getProperty("spring.datasource.hikari.connection-timeout", Long.class, 5000L));
    ds.addDataSourceProperty("reWriteBatchedInserts", "true");
    verifyDurability(ds);
    server.watch(new EmbeddedServer.Listener() {
      @Override
      public void died(String why) {
        availability.serverDied(why);
      }

      @Override
      public void restarted() {
        availability.probeSoon();
      }
    });
    return ds;
  }

  /** A connection pool that owns its embedded server and stops it after its last connection closes. */
  static final class OwningDataSource extends FailFastDataSource {
    private final EmbeddedServer server;

    OwningDataSource(EmbeddedServer server, DatabaseAvailability availability) {
      this.server = server;
      failFastWith(availability);
    }

    @Override
    public void close() {
      server.stopWatching();
      super.close();
      server.close();
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
