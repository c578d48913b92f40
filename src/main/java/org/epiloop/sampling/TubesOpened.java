package org.epiloop.sampling;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What other modules may ask about the tubes opened at sites: the supplies module settles the
 * tubes and swabs used from it (G1), reading after the fact instead of adding a statement to
 * the binding (docs/adr/0033).
 */
@Component
public class TubesOpened {

  /**
   * One opened tube: its site, capacity, positions handed out so far (one swab each, an unbound
   * person's swab was used all the same) and whether it is sealed (its count is final).
   */
  public record Opened(String tubeCode, String siteCode, int capacity, int positions, boolean sealed) {}

  private final JdbcClient jdbc;

  TubesOpened(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Tubes opened at or after {@code since} (later times included, a clock ahead on another copy too), and any still open. */
  public List<Opened> since(Instant since) {
    return jdbc.sql("""
            select code, site_code, capacity, next_position, status = 'SEALED' from tubes
            where opened_at >= ? or status = 'OPEN'""")
        .param(since.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Opened(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getBoolean(5)))
        .list();
  }
}
