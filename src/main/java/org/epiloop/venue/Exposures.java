package org.epiloop.venue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What other modules may read about contacts: a person's exposures, a case's contact persons. */
@Component
public class Exposures {

  /** One exposure of a person to a case: {@code CLOSE} or {@code SECONDARY}, and when. */
  public record Exposure(UUID caseId, String level, Instant exposedAt) {}

  static final int PAGE = 10_000;

  private final JdbcClient jdbc;

  Exposures(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** All of a person's exposures, over all cases. */
  public List<Exposure> of(UUID personId) {
    return jdbc.sql("select case_id, level, exposed_at from case_contacts where person_id = ?").param(personId)
        .query((rs, i) -> new Exposure(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** The contact persons of a case, handed over in pages so that a huge case never sits in memory whole. */
  public void personsOf(UUID caseId, Consumer<List<UUID>> page) {
    UUID after = new UUID(0L, 0L); // PostgreSQL orders uuids as unsigned bytes: all zeros is the smallest
    while (true) {
      List<UUID> ids = jdbc.sql("select person_id from case_contacts where case_id = ? and person_id > ? order by person_id limit ?")
          .params(caseId, after, PAGE).query(UUID.class).list();
      if (ids.isEmpty()) {
        return;
      }
      page.accept(ids);
      if (ids.size() < PAGE) {
        return;
      }
      after = ids.get(ids.size() - 1);
    }
  }
}
