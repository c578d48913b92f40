package org.epiloop.sampling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What other modules may ask about a tube: where it was filled, its state, when it was first sampled. */
@Component
public class SampledTubes {

  /** A tube as transport and the lab see it. */
  public record TubeFacts(String tubeCode, String siteCode, TubeStatus status, int count, Instant firstSampledAt) {}

  private final JdbcClient jdbc;

  SampledTubes(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public Optional<TubeFacts> facts(String tubeCode) {
    return jdbc.sql("""
            select t.code, t.site_code, t.status, t.bound_count,
                   (select min(b.bound_at) from bindings b where b.tube_code = t.code and b.unbound_at is null)
            from tubes t where t.code = ?""")
        .param(tubeCode)
        .query((rs, i) -> {
          OffsetDateTime first = rs.getObject(5, OffsetDateTime.class);
          return new TubeFacts(rs.getString(1), rs.getString(2), TubeStatus.valueOf(rs.getString(3)), rs.getInt(4),
              first == null ? null : first.toInstant());
        })
        .optional();
  }
}
