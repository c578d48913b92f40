package org.epiloop.shared;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Fan-out between the copies of the application that share one database (ADR 0019, 0022):
 * PostgreSQL {@code NOTIFY} delivers a notification once its transaction commits, to every
 * session that {@code LISTEN}s on the channel — so every copy, including the sender, hears what
 * any copy committed, and nothing of a transaction that rolled back. No broker, no polling.
 *
 * <p>One dedicated connection per copy, outside the pool (it is held for good), listens on every
 * channel a module registered with {@link #listen}; a lost connection is opened again with
 * back-off. Notifications sent meanwhile are lost for this copy: each user says what covers that
 * (the alert poll; the revocation cache's short life).
 */
@Component
public class DatabaseNotifications {

  private static final Logger log = LoggerFactory.getLogger(DatabaseNotifications.class);
  private static final Pattern CHANNEL = Pattern.compile("[a-z][a-z0-9_]{0,62}");

  private final DataSource dataSource;
  private final JdbcClient jdbc;
  private final Map<String, Consumer<String>> handlers = new ConcurrentHashMap<>();
  private volatile boolean running;
  private volatile Connection connection;
  /** Set when a channel is added after the connection was opened: LISTEN on it at the next turn. */
  private volatile boolean channelsChanged;
  private Thread listener;

  DatabaseNotifications(DataSource dataSource, JdbcClient jdbc) {
    this.dataSource = dataSource;
    this.jdbc = jdbc;
  }

  /**
   * Calls {@code handler} with the payload of every notification on {@code channel}, from any
   * copy, on the listening thread (keep it short). One handler per channel.
   */
  public void listen(String channel, Consumer<String> handler) {
    check(channel);
    if (handlers.putIfAbsent(channel, handler) != null) {
      throw new IllegalStateException("channel " + channel + " has a handler already");
    }
    channelsChanged = true;
  }

  /**
   * Sends {@code payload} on {@code channel} as part of the current transaction (every copy gets
   * it when the transaction commits; without one, at once).
   */
  public void send(String channel, String payload) {
    check(channel);
    jdbc.sql("select pg_notify(?, ?)").params(channel, payload).query((rs, i) -> 1).list();
  }

  /** Whether this copy is listening now (false while its connection is being opened again). */
  public boolean listening() {
    return connection != null;
  }

  private static void check(String channel) {
    if (!CHANNEL.matcher(channel).matches()) {
      throw new IllegalArgumentException("bad channel name " + channel);
    }
  }

  @PostConstruct
  void start() {
    running = true;
    listener = new Thread(this::run, "db-notifications");
    listener.setDaemon(true);
    listener.start();
  }

  @PreDestroy
  void stop() {
    running = false;
    closeConnection();
    if (listener != null) {
      listener.interrupt();
    }
  }

  /** Listens until stopped; reconnects after a database failure (a restart, a network cut). */
  private void run() {
    long backoff = 500;
    while (running) {
      try {
        Connection c = open();
        connection = c;
        channelsChanged = false;
        listenAll(c);
        backoff = 500;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          if (channelsChanged) {
            channelsChanged = false;
            listenAll(c);
          }
          // blocks on the socket: a notification is handled as soon as it arrives
          PGNotification[] notes = pg.getNotifications((int) Duration.ofSeconds(1).toMillis());
          if (notes != null) {
            for (PGNotification n : notes) {
              deliver(n.getName(), n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        // once per outage: a database that is down fails every reconnection attempt
        if (running && backoff == 500) {
          log.warn("Database notification listener lost its connection ({}); reconnecting", e.getClass().getSimpleName());
        }
      } finally {
        closeConnection();
      }
      if (running) {
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        backoff = Math.min(backoff * 2, 10_000);
      }
    }
  }

  private void listenAll(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (String channel : handlers.keySet()) {
        // LISTEN takes an identifier, not a parameter; the name was checked against CHANNEL
        s.execute("LISTEN " + channel);
      }
    }
  }

  private void deliver(String channel, String payload) {
    Consumer<String> handler = handlers.get(channel);
    if (handler == null) {
      return;
    }
    try {
      handler.accept(payload);
    } catch (RuntimeException e) {
      log.warn("A handler of {} failed ({})", channel, e.getClass().getSimpleName());
    }
  }

  private Connection open() throws SQLException {
    if (dataSource instanceof HikariDataSource h && h.getJdbcUrl() != null) {
      return DriverManager.getConnection(h.getJdbcUrl(), h.getUsername(), h.getPassword());
    }
    return dataSource.getConnection();
  }

  private void closeConnection() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // closing a broken connection: nothing left to do
      }
    }
  }
}
