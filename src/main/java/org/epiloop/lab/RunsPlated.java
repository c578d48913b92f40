package org.epiloop.lab;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What other modules may ask about the plates a lab loaded: the supplies module settles the PCR
 * reactions used from it, one per well with a sample or a control (G1, docs/adr/0033).
 */
@Component
public class RunsPlated {

  /** One run and the wells it used; a run's wells are written with the run, so the count is final. */
  public record Plated(UUID runId, String labCode, int wells) {}

  private final JdbcClient jdbc;

  RunsPlated(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Runs loaded at or after {@code since}. */
  public List<Plated> since(Instant since) {
    return jdbc.sql("""
            select r.id, r.lab_code, (select count(*) from run_wells w where w.run_id = r.id)
            from runs r where r.created_at >= ?""")
        .param(since.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Plated(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3)))
        .list();
  }
}
