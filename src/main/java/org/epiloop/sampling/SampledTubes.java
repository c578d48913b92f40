package org.epiloop.sampling;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

  /** A person bound in a tube: one sampling of one person. */
  public record Member(UUID bindingId, UUID personId, String tubeCode, String siteCode, Instant sampledAt, boolean pooled) {}

  /** The current members of the tubes, in one query. */
  public List<Member> membersOf(Collection<String> tubeCodes) {
    if (tubeCodes.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("""
            select b.id, b.person_id, b.tube_code, b.site_code, b.bound_at, t.capacity > 1
            from bindings b join tubes t on t.code = b.tube_code
            where b.tube_code = any(?) and b.unbound_at is null""")
        .param(tubeCodes.toArray(String[]::new))
        .query((rs, i) -> new Member(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBoolean(6)))
        .list();
  }

  /** A person's samplings, newest first. */
  public List<Member> samplingsOf(UUID personId) {
    return jdbc.sql("""
            select b.id, b.person_id, b.tube_code, b.site_code, b.bound_at, t.capacity > 1
            from bindings b join tubes t on t.code = b.tube_code
            where b.person_id = ? and b.unbound_at is null order by b.bound_at desc limit 100""")
        .param(personId)
        .query((rs, i) -> new Member(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBoolean(6)))
        .list();
  }

  /**
   * The single-tube samplings of these persons after a time: the retests of recalled persons
   * (a recall is retested once its person is bound into a tube of capacity 1 after it opened).
   */
  public List<Member> singleSamplingsSince(Collection<UUID> personIds, Instant since) {
    if (personIds.isEmpty()) {
      return List.of();
    }
    return jdbc.sql("""
            select b.id, b.person_id, b.tube_code, b.site_code, b.bound_at, false
            from bindings b join tubes t on t.code = b.tube_code
            where b.person_id = any(?) and b.unbound_at is null and b.bound_at > ? and t.capacity = 1
            order by b.bound_at""")
        .params(personIds.toArray(UUID[]::new), since.atOffset(java.time.ZoneOffset.UTC))
        .query((rs, i) -> new Member(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getBoolean(6)))
        .list();
  }

  /** A tube's own steps: opened at its site, and sealed (for the custody search). Empty when there is no such tube. */
  public List<org.epiloop.shared.CustodyStep> custody(String tubeCode) {
    return jdbc.sql("""
            select site_code, capacity, bound_count, opened_by, opened_at, sealed_at from tubes where code = ?""")
        .param(tubeCode)
        .query((rs, i) -> {
          String site = rs.getString(1);
          List<org.epiloop.shared.CustodyStep> steps = new java.util.ArrayList<>();
          steps.add(new org.epiloop.shared.CustodyStep(rs.getObject(5, OffsetDateTime.class).toInstant(), "SAMPLING", "TUBE_OPENED",
              site, rs.getString(4), "capacity " + rs.getInt(2)));
          OffsetDateTime sealed = rs.getObject(6, OffsetDateTime.class);
          if (sealed != null) {
            steps.add(new org.epiloop.shared.CustodyStep(sealed.toInstant(), "SAMPLING", "TUBE_SEALED", site, null,
                "persons: " + rs.getInt(3)));
          }
          return steps;
        })
        .optional().orElse(List.of());
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

  /**
   * When each tube's first sample was taken (its collection time, for the labs' turnaround), in
   * one query; tubes without a binding are left out.
   */
  public java.util.Map<String, Instant> firstSampledAt(Collection<String> tubeCodes) {
    java.util.Map<String, Instant> out = new java.util.HashMap<>();
    if (tubeCodes.isEmpty()) {
      return out;
    }
    jdbc.sql("select tube_code, min(bound_at) from bindings where tube_code = any(?) and unbound_at is null group by tube_code")
        .param(tubeCodes.toArray(String[]::new))
        .query((rs, i) -> out.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
        .list();
    return out;
  }
}
