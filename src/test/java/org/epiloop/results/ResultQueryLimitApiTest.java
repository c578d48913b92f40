package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * The public result query is limited per client address in the database (every copy counts
 * against the same numbers), behind the trusted proxy by its X-Forwarded-For, with Retry-After.
 * (The test context trusts the local address as a proxy.)
 */
class ResultQueryLimitApiTest extends IntegrationTest {

  @Test
  void twentyQueriesAMinutePerClientAddress() {
    String client = "198.51.100." + (1 + (int) (Math.random() * 200));
    clock.advance(Duration.ofMinutes(1)); // a window of this test's own, from its start
    clock.advanceToWindowStart(ResultsController.QUERIES.window());
    for (int i = 0; i < ResultsController.QUERIES.max(); i++) {
      assertThat(query(client).status()).isEqualTo(404);
    }
    Api.Res limited = query(client);
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.code()).isEqualTo("RATE_LIMITED");
    assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 60);
    // writing another address in front of the proxy's does not make a new client
    assertThat(query("203.0.113.99, " + client).status()).isEqualTo(429);
    assertThat(query("203.0.113.99").status()).as("another client").isEqualTo(404);
    assertThat(jdbc.sql("select hits from rate_limits where limit_name = 'results-query' order by hits desc limit 1")
        .query(Integer.class).single()).as("counted in the database").isGreaterThan(ResultsController.QUERIES.max());

    clock.advance(Duration.ofMinutes(1));
    assertThat(query(client).status()).isEqualTo(404);
  }

  private Api.Res query(String forwardedFor) {
    return api().post("/api/v1/results/query", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "无此人"),
        Map.of("X-Forwarded-For", forwardedFor));
  }
}
