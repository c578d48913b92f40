package org.epiloop.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.epiloop.directory.SiteActivity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The last hour's sampling per site from the command centre's 10-minute counters (the same
 * window as the command centre's "last hour"), for the public nearest-site search.
 */
@Component
class SiteActivityCounters implements SiteActivity {

  private final JdbcClient jdbc;
  private final Clock clock;

  SiteActivityCounters(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  @Override
  public Map<String, Long> sampledLastHour(Collection<String> siteCodes) {
    Map<String, Long> out = new HashMap<>();
    if (siteCodes.isEmpty()) {
      return out;
    }
    // bounded above too: the last hour is the hour before now, not everything counted since its start
    // (a clock set back, or a test's shared clock, may face buckets in its future)
    Instant now = clock.instant();
    jdbc.sql("select site_code, sum(sampled) from site_sampling where site_code = any(?) and bucket >= ? and bucket <= ? group by site_code")
        .params(siteCodes.toArray(String[]::new), CommandCentre.lastHourFrom(now), now.atOffset(java.time.ZoneOffset.UTC))
        .query(rs -> {
          out.put(rs.getString(1), rs.getLong(2));
        });
    return out;
  }
}
