package org.epiloop.platform;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Whether the database can be reached, as the readiness probe tells a load balancer: a
 * failure to reach it (reported by the error handler, or by the embedded server's watchdog)
 * makes the application REFUSING_TRAFFIC until a probe — a fresh connection of its own, not
 * one from the pool, which may merely be busy — gets an answer again. Liveness is left
 * alone: restarting the JVM would not bring the database back. See docs/adr/0015.
 */
@Component
public class DatabaseAvailability {

  private static final Logger log = LoggerFactory.getLogger(DatabaseAvailability.class);

  /** What a client is told to wait: an embedded server restarts within a few seconds. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(3);
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(500);

  /**
   * SQLStates of a lost or refused connection: class 08 (connection exception), and the
   * server shutting down (57P01 admin, 57P02 crash, 57P03 cannot connect now).
   */
  private static final List<Predicate<String>> CONNECTION_STATES = List.of(
      s -> s.startsWith("08"), s -> s.equals("57P01"), s -> s.equals("57P02"), s -> s.equals("57P03"));

  private final ApplicationEventPublisher events;
  private final ObjectProvider<DataSource> dataSource;
  private final ObjectProvider<IncompleteEventPublications> publications;
  private final Clock clock;
  private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "database-probe");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean probing = new AtomicBoolean();
  private volatile boolean available = true;
  private volatile Instant downSince;

  DatabaseAvailability(ApplicationEventPublisher events, ObjectProvider<DataSource> dataSource,
      ObjectProvider<IncompleteEventPublications> publications, Clock clock) {
    this.events = events;
    this.dataSource = dataSource;
    this.publications = publications;
    this.clock = clock;
  }

  /** False while the database is known to be unreachable. */
  public boolean isAvailable() {
    return available;
  }

  /**
   * Whether a failure means the database could not be reached or the connection broke, as
   * opposed to a fault of the statement: anywhere in the cause chain, a Spring failure to
   * get a connection or begin a transaction, a JDBC connection exception, or a connection
   * SQLState. A commit whose connection broke is among them: its outcome is unknown, and a
   * retry with the same Idempotency-Key finds out.
   */
  public static boolean isOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
          || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      // A commit or rollback the JDBC layer could not classify: in practice the connection
      // broke, and HikariCP then answers every call with a plain "Connection is closed" (no
      // SQLState); a rollback that failed so also hides the failure that caused it (seen in
      // CrashRecoveryTest: "Commit exception overridden by rollback exception").
      if (t instanceof TransactionSystemException tse && (tse.getCause() instanceof SQLException
          || (tse.getApplicationException() != null && isOutage(tse.getApplicationException())))) {
        return true;
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && CONNECTION_STATES.stream().anyMatch(p -> p.test(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /** A request could not reach the database: find out whether it is down. */
  public void connectionFailed() {
    probeSoon();
  }

  /** The embedded server is known to be gone (its watchdog saw it exit). */
  void serverDied(String why) {
    markDown(why);
    probeSoon();
  }

  /** Probes at once (and then until the database answers), unless a probe is under way. */
  void probeSoon() {
    if (probing.compareAndSet(false, true)) {
      try {
        prober.execute(this::probe);
      } catch (RejectedExecutionException e) {
        probing.set(false); // the application is closing
      }
    }
  }

  private void probe() {
    try {
      reach();
      probing.set(false);
      markUp();
    } catch (SQLException | RuntimeException e) {
      markDown(e.getMessage());
      prober.schedule(this::probe, PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A connection of its own with short timeouts, and one round trip. */
  private void reach() throws SQLException {
    DataSource ds = dataSource.getObject();
    if (ds instanceof HikariDataSource hikari) {
      Properties p = new Properties();
      if (hikari.getUsername() != null) {
        p.setProperty("user", hikari.getUsername());
      }
      if (hikari.getPassword() != null) {
        p.setProperty("password", hikari.getPassword());
      }
      p.putAll(hikari.getDataSourceProperties());
      p.setProperty("connectTimeout", "2");
      p.setProperty("socketTimeout", "5");
      p.setProperty("loginTimeout", "5");
      try (Connection c = DriverManager.getConnection(hikari.getJdbcUrl(), p); Statement s = c.createStatement()) {
        s.execute("select 1");
      }
    } else {
      try (Connection c = ds.getConnection()) {
        if (!c.isValid(5)) {
          throw new SQLTransientConnectionException("The database does not answer", "08006");
        }
      }
    }
  }

  private synchronized void markDown(String why) {
    if (available) {
      available = false;
      downSince = clock.instant();
      log.error("The database is unreachable ({}); readiness is REFUSING_TRAFFIC until it answers again", why);
      AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
    }
  }

  private synchronized void markUp() {
    if (!available) {
      available = true;
      log.warn("The database answers again; readiness is ACCEPTING_TRAFFIC");
      AvailabilityChangeEvent.publish(events, this, ReadinessState.ACCEPTING_TRAFFIC);
      resubmitCutOff(downSince);
    }
  }

  /**
   * Event listeners that were running when the database went away failed without being able
   * to record it: their publications, published before the outage and neither completed nor
   * marked failed, would wait for the next start of the JVM. They run again now (listeners
   * are idempotent: a publication is delivered at least once).
   */
  private void resubmitCutOff(Instant since) {
    publications.ifAvailable(incomplete -> {
      try {
        incomplete.resubmitIncompletePublications(p -> p.getPublicationDate().isBefore(since)
            && p.getStatus() != EventPublication.Status.FAILED);
      } catch (RuntimeException e) {
        log.warn("Resubmitting event publications cut off by the outage failed; they run at the next start: {}", e.toString());
      }
    });
  }

  @PreDestroy
  void stop() {
    prober.shutdownNow();
  }
}
