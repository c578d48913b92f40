package org.epiloop.shared;

import com.zaxxer.hikari.HikariDataSource;
import jakarta.annotation.PreDestroy;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Rate limits and lockouts shared by every copy of the application: fixed-window counters in
 * the {@code rate_limits} table, one upsert per hit. A hit commits on its own (a failed login
 * still counts when the request that made it rolls back), without waiting for the WAL flush: a
 * counter lost in a crash only forgives a few attempts. Subjects are stored as keyed hashes.
 *
 * <p>A hit made inside a caller's transaction goes through a small pool of its own: taking its
 * second connection from the main pool deadlocks as soon as every main connection is held by a
 * caller waiting for one (eight residents adding persons at once answered 503 after the
 * connection timeout). Hits outside a transaction use the main pool, as they are most of them
 * (logins, verifications, public queries).
 */
@Component
public class RateLimits {

  /** A named limit: at most {@code max} hits per subject in each window of {@code window}. */
  public record Limit(String name, int max, Duration window) {
    public Limit {
      if (max < 1 || window.isNegative() || window.isZero()) {
        throw new IllegalArgumentException("limit " + name + " needs max >= 1 and a positive window");
      }
    }
  }

  /** The outcome of a hit or a look: allowed, and when the window ends (for {@code Retry-After}). */
  public record Decision(boolean allowed, int hits, Duration retryAfter) {}

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final Clock clock;
  private final TransactionTemplate ownTransaction;
  private final DataSource dataSource;
  private final int sidePoolSize;
  private volatile Side side;

  /** The pool for hits made inside another transaction, with its client and transactions. */
  private record Side(HikariDataSource pool, JdbcClient jdbc, TransactionTemplate transaction) {}

  RateLimits(JdbcClient jdbc, PiiCrypto crypto, Clock clock, PlatformTransactionManager transactions, DataSource dataSource,
      @Value("${epiloop.rate-limits.pool-size:2}") int sidePoolSize) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.clock = clock;
    this.ownTransaction = new TransactionTemplate(transactions);
    this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    this.dataSource = dataSource;
    this.sidePoolSize = sidePoolSize;
  }

  /** Counts one hit for the subject and says whether it is within the limit. */
  public Decision hit(Limit limit, String subject) {
    Instant now = clock.instant();
    long windowMillis = limit.window().toMillis();
    Instant start = Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), windowMillis) * windowMillis);
    Instant end = start.plus(limit.window());
    byte[] key = key(limit, subject);
    boolean nested = TransactionSynchronizationManager.isActualTransactionActive();
    JdbcClient client = nested ? side().jdbc() : jdbc;
    TransactionTemplate transaction = nested ? side().transaction() : ownTransaction;
    int hits = transaction.execute(tx -> {
      client.sql("set local synchronous_commit = off").update();
      return client.sql("""
              insert into rate_limits (limit_name, subject, window_start, window_end, hits) values (:n, :s, :start, :end, 1)
              on conflict (limit_name, subject) do update set
                hits = case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end,
                window_start = excluded.window_start, window_end = excluded.window_end
              returning hits""")
          .param("n", limit.name()).param("s", key).param("start", utc(start)).param("end", utc(end))
          .query(Integer.class).single();
    });
    return new Decision(hits <= limit.max(), hits, Duration.between(now, end));
  }

  /** Whether the subject is still within the limit, without counting a hit (for lockouts). */
  public Decision peek(Limit limit, String subject) {
    Instant now = clock.instant();
    record Row(int hits, OffsetDateTime end) {}
    return jdbc.sql("select hits, window_end from rate_limits where limit_name = ? and subject = ? and window_end > ?")
        .params(limit.name(), key(limit, subject), utc(now))
        .query((rs, i) -> new Row(rs.getInt(1), rs.getObject(2, OffsetDateTime.class)))
        .optional()
        .map(r -> new Decision(r.hits() < limit.max(), r.hits(), Duration.between(now, r.end().toInstant())))
        .orElse(new Decision(true, 0, Duration.ZERO));
  }

  /** Forgets the subject's hits (a successful login clears its failures). */
  public void reset(Limit limit, String subject) {
    jdbc.sql("delete from rate_limits where limit_name = ? and subject = ?").params(limit.name(), key(limit, subject)).update();
  }

  /**
   * Counts a hit and fails with 429 {@code code} and a {@code Retry-After} when the subject is
   * over the limit.
   */
  public void acquire(Limit limit, String subject, String code, String detail) {
    Decision d = hit(limit, subject);
    if (!d.allowed()) {
      throw ApiException.tooManyRequests(code, detail, d.retryAfter());
    }
  }

  private Side side() {
    Side s = side;
    if (s == null) {
      synchronized (this) {
        s = side;
        if (s == null) {
          s = side = openSide();
        }
      }
    }
    return s;
  }

  private Side openSide() {
    HikariDataSource main;
    try {
      main = dataSource.unwrap(HikariDataSource.class);
    } catch (SQLException e) {
      throw new IllegalStateException("the main data source is not a connection pool, so rate limits cannot have one beside it", e);
    }
    HikariDataSource pool = new HikariDataSource();
    pool.setPoolName("rate-limits");
    pool.setJdbcUrl(main.getJdbcUrl());
    pool.setUsername(main.getUsername());
    pool.setPassword(main.getPassword());
    pool.setDataSourceProperties(main.getDataSourceProperties());
    pool.setMaximumPoolSize(sidePoolSize);
    pool.setMinimumIdle(0);
    pool.setConnectionTimeout(main.getConnectionTimeout());
    TransactionTemplate transaction = new TransactionTemplate(new JdbcTransactionManager(pool));
    return new Side(pool, JdbcClient.create(pool), transaction);
  }

  @PreDestroy
  void closeSide() {
    Side s = side;
    if (s != null) {
      s.pool().close();
    }
  }

  @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
  void purge() {
    jdbc.sql("delete from rate_limits where window_end < ?").param(utc(clock.instant().minus(Duration.ofHours(1)))).update();
  }

  private byte[] key(Limit limit, String subject) {
    return crypto.hash("rate-limit", limit.name() + ":" + subject);
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
