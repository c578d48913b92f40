package org.epiloop.environment;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * This module's part of the command centre's lab-network register: per lab, the environment
 * incidents open now. One grouped query over all labs (open incidents are few; the partial
 * scan of env_incidents by its lab index stays small).
 */
@Component
public class EnvironmentIncidents {

  /**
   * A lab's open incidents.
   *
   * @param excursions readings out of range past their grace period, not yet back in range
   * @param silentSensors devices silent past their silence minutes
   */
  public record Open(int excursions, int silentSensors) {

    /** A lab with nothing open. */
    public static final Open NONE = new Open(0, 0);
  }

  private final JdbcClient jdbc;

  EnvironmentIncidents(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Labs with an open incident; a lab missing from the map has none. */
  @Transactional(readOnly = true)
  public Map<String, Open> openByLab() {
    Map<String, Open> out = new HashMap<>();
    jdbc.sql("""
            select lab_code, count(*) filter (where kind = 'EXCURSION'), count(*) filter (where kind = 'SILENT')
            from env_incidents where ended_at is null group by lab_code""")
        .query(rs -> {
          out.put(rs.getString(1), new Open(rs.getInt(2), rs.getInt(3)));
        });
    return out;
  }
}
