package org.epiloop.alerts;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The command screens' live alert stream (server-sent events). Every copy of the application
 * LISTENs on the database channel that {@link Alerts} notifies when an alert is raised or moves;
 * PostgreSQL delivers a notification only after its transaction commits, and to every copy, so a
 * screen connected to any copy sees a CRITICAL_RESULT the moment it is stored, without polling the
 * table. The listening connection is a dedicated one outside the pool (it is held for good).
 *
 * <p>Events: {@code ready} once on connect, then {@code alert} with the alert as JSON; a comment
 * every {@link #HEARTBEAT} keeps proxies from closing an idle stream and finds dead screens.
 */
@Component
class LiveAlerts {

  private static final Logger log = LoggerFactory.getLogger(LiveAlerts.class);
  /** How long one stream stays open; the page opens a new one (with a new ticket) after it. */
  static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);
  static final Duration HEARTBEAT = Duration.ofSeconds(20);

  private final DataSource dataSource;
  private final Alerts alerts;
  private final Set<SseEmitter> screens = new CopyOnWriteArraySet<>();
  private volatile boolean running;
  private volatile Connection connection;
  private Thread listener;

  LiveAlerts(DataSource dataSource, Alerts alerts) {
    this.dataSource = dataSource;
    this.alerts = alerts;
  }

  /** A new stream for one screen. */
  SseEmitter subscribe() {
    SseEmitter emitter = new SseEmitter(STREAM_LIFETIME.toMillis());
    screens.add(emitter);
    emitter.onCompletion(() -> screens.remove(emitter));
    emitter.onTimeout(() -> {
      screens.remove(emitter);
      emitter.complete();
    });
    emitter.onError(e -> screens.remove(emitter));
    send(emitter, SseEmitter.event().name("ready").data("{\"listening\":" + (connection != null) + "}", MediaType.APPLICATION_JSON));
    return emitter;
  }

  /** How many screens are connected to this copy. */
  int screens() {
    return screens.size();
  }

  @Scheduled(fixedDelayString = "PT20S")
  void heartbeat() {
    screens.forEach(e -> send(e, SseEmitter.event().comment("♥")));
  }

  void broadcast(Alerts.Alert alert) {
    screens.forEach(e -> send(e, SseEmitter.event().name("alert").id(String.valueOf(alert.id())).data(alert, MediaType.APPLICATION_JSON)));
  }

  private void send(SseEmitter emitter, SseEmitter.SseEventBuilder event) {
    try {
      emitter.send(event);
    } catch (IOException | IllegalStateException e) {
      // the screen went away (or its stream ended): forget it; the page reconnects on its own
      screens.remove(emitter);
      emitter.completeWithError(e);
    }
  }

  @PostConstruct
  void start() {
    running = true;
    listener = new Thread(this::listen, "live-alerts");
    listener.setDaemon(true);
    listener.start();
  }

  /**
   * Ends the streams as soon as the application starts to close: an open stream is an active
   * request, which a graceful shutdown would otherwise wait for until its timeout. The screens
   * reconnect to another copy.
   */
  @EventListener(ContextClosedEvent.class)
  void closing() {
    screens.forEach(SseEmitter::complete);
    screens.clear();
  }

  @PreDestroy
  void stop() {
    running = false;
    closeConnection();
    if (listener != null) {
      listener.interrupt();
    }
    screens.forEach(SseEmitter::complete);
  }

  /** Listens until stopped; reconnects after a database failure (a restart, a network cut). */
  private void listen() {
    long backoff = 500;
    while (running) {
      try {
        Connection c = open();
        connection = c;
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + Alerts.CHANNEL);
        }
        backoff = 500;
        PGConnection pg = c.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notes = pg.getNotifications((int) Duration.ofSeconds(5).toMillis());
          if (notes != null) {
            for (PGNotification n : notes) {
              deliver(n.getParameter());
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        // once per outage: a database that is down fails every reconnection attempt
        if (running && backoff == 500) {
          log.warn("Live alert listener lost its database connection ({}); reconnecting", e.getClass().getSimpleName());
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

  private void deliver(String payload) {
    try {
      Optional<Alerts.Alert> alert = alerts.find(Long.parseLong(payload));
      alert.ifPresent(this::broadcast);
    } catch (NumberFormatException e) {
      log.warn("Ignored a malformed notification on {}", Alerts.CHANNEL);
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
