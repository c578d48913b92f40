package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The embedded server of issue 13: loopback and passwords only, data directories from the
 * time of {@code trust} upgraded, and a server of this directory told apart from anything
 * else that holds the process id {@code postmaster.pid} names.
 */
class EmbeddedServerTest {

  @Test
  void takesPasswordLoginsOnlyAndOnlyFromThisMachine() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-pg-auth-");
    try (EmbeddedServer server = start(dir)) {
      String password = SecretsFile.read(dir.resolve("secrets.properties")).getProperty(EmbeddedServer.PASSWORD_ENTRY);
      assertThat(password).hasSizeGreaterThanOrEqualTo(32);
      try (Connection c = connect(server, password)) {
        assertThat(query(c, "show listen_addresses")).containsExactly("localhost");
        assertThat(query(c, "show unix_socket_directories")).containsExactly("");
        assertThat(query(c, "select distinct auth_method from pg_hba_file_rules")).containsExactly("scram-sha-256");
        assertThat(query(c, "select left(rolpassword, 14) from pg_authid where rolname = 'postgres'"))
            .containsExactly("SCRAM-SHA-256$");
      }
      assertThatThrownBy(() -> connect(server, null)).isInstanceOf(SQLException.class);
      assertThatThrownBy(() -> connect(server, password + "x")).isInstanceOf(SQLException.class)
          .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("28P01");
    }
  }

  @Test
  void aDataDirectoryFromBeforePasswordsIsUpgradedAndKeepsItsData() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-pg-trust-");
    // as every start before issue 13 left it: initdb's trust for everyone
    try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(false).start();
        Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("create table kept (v text); insert into kept values ('before passwords')");
    }
    assertThat(Files.readString(dir.resolve("pg/pg_hba.conf"))).contains("trust");
    try (EmbeddedServer server = start(dir)) {
      String password = SecretsFile.read(dir.resolve("secrets.properties")).getProperty(EmbeddedServer.PASSWORD_ENTRY);
      try (Connection c = connect(server, password)) {
        assertThat(query(c, "select v from kept")).containsExactly("before passwords");
      }
      assertThatThrownBy(() -> connect(server, null)).isInstanceOf(SQLException.class);
    }
    assertThat(Files.readString(dir.resolve("pg/pg_hba.conf"), StandardCharsets.UTF_8)).doesNotContain("trust");

    // the next start finds the password where it left it
    try (EmbeddedServer server = start(dir)) {
      String password = SecretsFile.read(dir.resolve("secrets.properties")).getProperty(EmbeddedServer.PASSWORD_ENTRY);
      try (Connection c = connect(server, password)) {
        assertThat(query(c, "select v from kept")).containsExactly("before passwords");
      }
    }

    // without the secrets file no password is guessed or reset: the start says what is missing
    Files.delete(dir.resolve("secrets.properties"));
    assertThatThrownBy(() -> start(dir)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(EmbeddedServer.PASSWORD_ENTRY);
  }

  @Test
  void aSecondServerOnTheSameDataDirectoryIsRefused() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-pg-twice-");
    try (EmbeddedServer server = start(dir)) {
      assertThatThrownBy(() -> start(dir)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("used by another running Epiloop");
      // the first one is untouched
      String password = SecretsFile.read(dir.resolve("secrets.properties")).getProperty(EmbeddedServer.PASSWORD_ENTRY);
      try (Connection c = connect(server, password)) {
        assertThat(query(c, "select 1")).containsExactly("1");
      }
    }
  }

  @Test
  void aProcessThatReusedThePostmastersPidIsNotTakenForIt() throws Exception {
    Path pg = Files.createTempDirectory("epiloop-pg-reused-");
    // the postmaster.pid of a crashed server whose process id now belongs to this JVM
    Files.writeString(pg.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + pg + "\n1700000000\n5432\n\nlocalhost\n  1 2\nready   \n");
    PostmasterPid recorded = PostmasterPid.read(pg).orElseThrow();
    assertThat(recorded.port()).isEqualTo(5432);
    assertThat(recorded.ready()).isTrue();
    assertThat(PostmasterPid.alive(recorded.pid())).isTrue();
    assertThat(recorded.runsPostgresOf(pg)).isFalse();
  }

  private static EmbeddedServer start(Path dataDir) throws Exception {
    return EmbeddedServer.start(dataDir, 0, EmbeddedDatabaseConfiguration.settings(), dataDir.resolve("secrets.properties"));
  }

  private static Connection connect(EmbeddedServer server, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", EmbeddedServer.USER);
    if (password != null) {
      p.setProperty("password", password);
    }
    return DriverManager.getConnection(server.jdbcUrl(), p);
  }

  private static List<String> query(Connection c, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
