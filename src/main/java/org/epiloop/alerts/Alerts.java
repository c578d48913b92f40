package org.epiloop.alerts;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.epiloop.transport.TransportBoxes;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Raises and lists alerts. Raising the same kind and subject twice keeps the first. */
@Service
public class Alerts {

  /** One alert as officials see it; never personal data. */
  public record Alert(String kind, String subject, Instant since, String detail) {}

  private final JdbcClient jdbc;
  private final TransportBoxes boxes;
  private final List<AlertSource> sources;
  private final Clock clock;

  Alerts(JdbcClient jdbc, TransportBoxes boxes, List<AlertSource> sources, Clock clock) {
    this.jdbc = jdbc;
    this.boxes = boxes;
    this.sources = sources;
    this.clock = clock;
  }

  /** Raises an alert in the caller's transaction (once per kind and subject). */
  @Transactional
  public void raise(String kind, String subject, String detail) {
    jdbc.sql("insert into alerts (kind, subject, detail, raised_at) values (?, ?, ?, ?) on conflict (kind, subject) do nothing")
        .params(kind, subject, detail, clock.instant().atOffset(ZoneOffset.UTC)).update();
  }

  /** Open alerts, newest first: stored ones, overdue boxes, and what every {@link AlertSource} reports. */
  @Transactional(readOnly = true)
  public List<Alert> open() {
    List<Alert> out = new ArrayList<>(jdbc.sql("select kind, subject, raised_at, detail from alerts where resolved_at is null order by raised_at desc limit 500")
        .query((rs, i) -> new Alert(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4)))
        .list());
    for (TransportBoxes.Overdue o : boxes.overdue()) {
      out.add(new Alert("BOX_OVERDUE", o.boxCode(), o.firstSampledAt(),
          "Box " + o.boxCode() + " from site " + o.siteCode() + " is " + o.status() + " with " + o.tubeCount()
              + " tubes, " + o.minutesSinceFirstSample() + " minutes after its first sample"));
    }
    for (AlertSource source : sources) {
      out.addAll(source.current());
    }
    out.sort(Comparator.comparing(Alert::since).reversed());
    return out;
  }
}
