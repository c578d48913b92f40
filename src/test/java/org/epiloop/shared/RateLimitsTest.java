package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Limits counted in the database: windows, reset, lockout look, races and own commits. */
class RateLimitsTest extends IntegrationTest {

  @Autowired RateLimits limits;
  @Autowired TransactionTemplate transactions;
  @Autowired DataSource dataSource;

  @Test
  void hitsWithinTheWindowAreCountedAndTheNextWindowStartsAfresh() {
    RateLimits.Limit limit = new RateLimits.Limit(unique("test"), 3, Duration.ofMinutes(1));
    String who = unique("client");
    assertThat(List.of(limits.hit(limit, who), limits.hit(limit, who), limits.hit(limit, who)))
        .allSatisfy(d -> assertThat(d.allowed()).isTrue());
    RateLimits.Decision fourth = limits.hit(limit, who);
    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.hits()).isEqualTo(4);
    assertThat(fourth.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    assertThat(limits.hit(limit, unique("other")).allowed()).as("another subject has its own count").isTrue();

    clock.advance(Duration.ofMinutes(1));
    assertThat(limits.hit(limit, who).hits()).isEqualTo(1);
  }

  @Test
  void peekDoesNotCountAndResetForgets() {
    RateLimits.Limit limit = new RateLimits.Limit(unique("lock"), 2, Duration.ofMinutes(15));
    String who = unique("user");
    assertThat(limits.peek(limit, who).allowed()).isTrue();
    limits.hit(limit, who);
    assertThat(limits.peek(limit, who).allowed()).isTrue();
    limits.hit(limit, who);
    RateLimits.Decision locked = limits.peek(limit, who);
    assertThat(locked.allowed()).isFalse();
    assertThat(locked.retryAfter()).isPositive();
    assertThat(limits.peek(limit, who).hits()).as("peeking counts nothing").isEqualTo(2);
    limits.reset(limit, who);
    assertThat(limits.peek(limit, who).allowed()).isTrue();
  }

  @Test
  void racingHitsAreAllCounted() throws Exception {
    RateLimits.Limit limit = new RateLimits.Limit(unique("race"), 10, Duration.ofHours(1));
    String who = unique("client");
    List<RateLimits.Decision> decisions = Race.of(24, () -> limits.hit(limit, who));
    assertThat(decisions.stream().filter(RateLimits.Decision::allowed)).hasSize(10);
    assertThat(decisions.stream().map(RateLimits.Decision::hits).distinct()).hasSize(24);
  }

  @Test
  void aHitStaysCountedWhenTheRequestThatMadeItRollsBack() {
    RateLimits.Limit limit = new RateLimits.Limit(unique("rollback"), 5, Duration.ofMinutes(5));
    String who = unique("client");
    assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
      limits.hit(limit, who);
      throw new IllegalStateException("the login failed");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(limits.peek(limit, who).hits()).isEqualTo(1);
  }

  /**
   * Every main connection held by a transaction that then counts a hit: the hits must not wait
   * for a main connection (they did, until the connection timeout failed them, and the requests
   * answered 503 DATABASE_UNAVAILABLE).
   */
  @Test
  void hitsInsideTransactionsThatHoldEveryMainConnectionDoNotWaitForOne() throws Exception {
    RateLimits.Limit limit = new RateLimits.Limit(unique("nested"), 1000, Duration.ofMinutes(5));
    String who = unique("client");
    int poolSize = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
    CyclicBarrier allHoldOne = new CyclicBarrier(poolSize);
    List<Integer> hits = Race.of(poolSize, () -> transactions.execute(tx -> {
      jdbc.sql("select 1").query(Integer.class).single(); // this transaction now holds a main connection
      try {
        allHoldOne.await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return limits.hit(limit, who).hits();
    }));
    assertThat(hits).containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.rangeClosed(1, poolSize).boxed().toList());
  }

  @Test
  void acquireFailsWithRetryAfter() {
    RateLimits.Limit limit = new RateLimits.Limit(unique("acquire"), 1, Duration.ofMinutes(1));
    String who = unique("client");
    limits.acquire(limit, who, "RATE_LIMITED", "slow down");
    assertThatThrownBy(() -> limits.acquire(limit, who, "RATE_LIMITED", "slow down"))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.code()).isEqualTo("RATE_LIMITED");
          assertThat(e.status().value()).isEqualTo(429);
          assertThat(e.retryAfter()).isPositive();
        });
    assertThat(jdbc.sql("select count(*) from rate_limits where encode(subject, 'escape') like ?").param("%" + who + "%")
        .query(Integer.class).single()).as("subjects are stored hashed").isZero();
  }
}
