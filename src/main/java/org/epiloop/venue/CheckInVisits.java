package org.epiloop.venue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What other modules may ask about check-ins: who was in which district when (population flow, M5). */
@Component
public class CheckInVisits {

  /** A person checked in at a venue of a district. */
  public record Visit(UUID personId, String districtCode, Instant at) {}

  private final JdbcClient jdbc;

  CheckInVisits(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Check-ins in {@code [from, to)} with their venue's district. */
  public List<Visit> between(Instant from, Instant to) {
    return jdbc.sql("""
            select c.person_id, v.district_code, c.at from check_ins c join venues v on v.code = c.venue_code
            where c.at >= ? and c.at < ?""")
        .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Visit(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
        .list();
  }
}
