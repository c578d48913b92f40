package org.epiloop.results;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.epiloop.alerts.AlertSource;
import org.epiloop.alerts.Alerts;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.messaging.SmsGateway;
import org.epiloop.sampling.RecallCheck;
import org.epiloop.sampling.SampledTubes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recall follow-up (L5). A recall is RECALLED when stored, NOTIFIED once the person (or the
 * family's phones) was texted, RETESTED once the person is bound into a single tube after it,
 * and CLOSED when that retest's result is released ({@link PersonResults#publish}). One not
 * retested within {@code epiloop.recalls.overdue-after} is overdue, and its site raises
 * RECALL_OVERDUE on the command centre, computed on read as overdue boxes are.
 */
@Service
@EnableConfigurationProperties(RecallProperties.class)
public class Recalls implements RecallCheck, AlertSource {

  static final ZoneId CITY = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter BY = DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(CITY);
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm").withZone(CITY);

  /** Where a recall stands. */
  public enum RecallState {
    /** Stored; nobody was texted (yet, or the person has no phone). */
    RECALLED,
    /** The notice went out. */
    NOTIFIED,
    /** Sampled again in a single tube; the result is not out yet. */
    RETESTED,
    /** The retest's result was released. */
    CLOSED
  }

  private final JdbcClient jdbc;
  private final SampledTubes tubes;
  private final Persons persons;
  private final Directory directory;
  private final SmsGateway sms;
  private final RecallProperties properties;
  private final Clock clock;

  Recalls(JdbcClient jdbc, SampledTubes tubes, Persons persons, Directory directory, SmsGateway sms, RecallProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.tubes = tubes;
    this.persons = persons;
    this.directory = directory;
    this.sms = sms;
    this.properties = properties;
    this.clock = clock;
  }

  @Override
  public boolean isRecalled(UUID personId) {
    return jdbc.sql("select exists (select 1 from recalls where person_id = ? and closed_at is null)").param(personId)
        .query(Boolean.class).single();
  }

  Duration overdueAfter() {
    return properties.overdueAfter();
  }

  // ------------------------------------------------------------------ notices

  /**
   * Texts the recalled persons, once each: the recall is claimed (notified_at) in the same
   * transaction as the messages are handed to the gateway, so a redelivered event finds it
   * claimed and sends nothing; a failed send rolls the claim back for the retry.
   *
   * @return how many recalls were claimed now
   */
  @Transactional
  int notify(Collection<UUID> bindingIds) {
    if (bindingIds.isEmpty()) {
      return 0;
    }
    record Claimed(UUID binding, UUID person, String site, String reason, Instant since) {}
    List<Claimed> claimed = jdbc.sql("""
            update recalls set notified_at = ?, notified_phones = 0
            where binding_id = any(?) and notified_at is null and closed_at is null
            returning binding_id, person_id, site_code, reason, since""")
        .params(clock.instant().atOffset(ZoneOffset.UTC), bindingIds.toArray(UUID[]::new))
        .query((rs, i) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
    if (claimed.isEmpty()) {
      return 0;
    }
    List<UUID> ids = claimed.stream().map(Claimed::person).distinct().toList();
    Map<UUID, List<Persons.Recipient>> recipients = persons.recipients(ids);
    Map<UUID, Persons.PersonView> views = persons.views(ids);
    Map<String, Optional<Directory.Site>> sites = new HashMap<>();
    for (Claimed c : claimed) {
      // the person's own phone, else their holders' (a guardian only from the link on, ADR 0014)
      List<String> to = recipients.getOrDefault(c.person(), List.of()).stream().filter(r -> r.mayHearOf(c.since()))
          .map(Persons.Recipient::phone).distinct().toList();
      if (to.isEmpty()) {
        continue;
      }
      Directory.Site site = sites.computeIfAbsent(c.site(), directory::site).orElse(null);
      String text = noticeText(views.get(c.person()).nameMasked(), c.reason(), c.site(), site, c.since().plus(properties.overdueAfter()));
      to.forEach(phone -> sms.send(phone, text));
      jdbc.sql("update recalls set notified_phones = ? where binding_id = ?").params(to.size(), c.binding()).update();
    }
    return claimed.size();
  }

  /** The notice: why, where to go, and when (the site's opening hours, or the time to come by). */
  static String noticeText(String nameMasked, String reason, String siteCode, Directory.Site site, Instant comeBy) {
    boolean pool = "POOL_POSITIVE".equals(reason);
    String where = site == null ? siteCode : site.name() + " (" + siteCode + ")";
    String hours = site == null || site.openingHours() == null || site.openingHours().isBlank() ? null : site.openingHours().strip();
    String zhWhen = hours != null ? "，开放时间 " + hours : "，请于 " + BY.format(comeBy) + " 前到达";
    String enWhen = hours != null ? ", open " + hours : ", by " + BY.format(comeBy);
    return "Epiloop 复检通知：" + nameMasked + (pool ? " 所在混管检测阳性（不代表本人阳性）" : " 的样本无有效结果")
        + "，请到 " + where + " 单管复检" + zhWhen + "。"
        + " Epiloop: " + nameMasked + (pool ? "'s pooled sample tested positive (this does not mean you are)" : "'s sample gave no valid result")
        + ". Please come to " + where + enWhen + " for a single-tube retest.";
  }

  // ------------------------------------------------------------------ the recall pages

  /** One recall as the recall pages show it: masked. */
  public record Line(String nameMasked, String phoneMasked, String siteCode, String tubeCode, String reason, Instant since,
      Instant notifiedAt, Integer notifiedPhones, Instant retestedAt, Instant closedAt, String outcome, RecallState state,
      boolean overdue) {}

  /** How many of the listed recalls are in each state; {@code closedToday} counts the city's day. */
  public record Counts(int open, int notified, int retested, int overdue, int closedToday) {}

  /** The recalls of a site or a district: the open ones and those closed today. */
  public record Board(String siteCode, String districtCode, Instant asOf, long overdueAfterMinutes, Counts counts, List<Line> items) {}

  private record Row(UUID binding, UUID person, String site, String tube, String reason, Instant since, Instant notifiedAt,
      Integer phones, Instant closedAt, String outcome) {}

  @Transactional(readOnly = true)
  Board board(String siteCode, String districtCode, List<String> siteCodes) {
    Instant now = clock.instant();
    Instant dayStart = LocalDate.ofInstant(now, CITY).atStartOfDay(CITY).toInstant();
    List<Row> rows = siteCodes.isEmpty() ? List.of() : jdbc.sql("""
            select binding_id, person_id, site_code, tube_code, reason, since, notified_at, notified_phones, closed_at, outcome
            from recalls where site_code = any(?) and (closed_at is null or closed_at >= ?)
            order by since, tube_code limit 5000""")
        .params(siteCodes.toArray(String[]::new), dayStart.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class)),
            (Integer) rs.getObject(8), instant(rs.getObject(9, OffsetDateTime.class)), rs.getString(10)))
        .list();
    Map<UUID, List<Instant>> retests = retests(rows);
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(Row::person).distinct().toList());
    Instant cutoff = now.minus(properties.overdueAfter());
    List<Line> lines = new ArrayList<>();
    int notified = 0;
    int retested = 0;
    int overdue = 0;
    int closed = 0;
    for (Row r : rows) {
      Instant retestedAt = retests.getOrDefault(r.person(), List.of()).stream().filter(t -> t.isAfter(r.since())).findFirst().orElse(null);
      RecallState state = r.closedAt() != null ? RecallState.CLOSED : retestedAt != null ? RecallState.RETESTED
          : r.notifiedAt() != null && r.phones() != null && r.phones() > 0 ? RecallState.NOTIFIED : RecallState.RECALLED;
      boolean late = state != RecallState.CLOSED && retestedAt == null && r.since().isBefore(cutoff);
      switch (state) {
        case CLOSED -> closed++;
        case RETESTED -> retested++;
        case NOTIFIED -> notified++;
        default -> { }
      }
      if (late) {
        overdue++;
      }
      Persons.PersonView v = views.get(r.person());
      lines.add(new Line(v.nameMasked(), v.phoneMasked(), r.site(), r.tube(), r.reason(), r.since(), r.notifiedAt(), r.phones(),
          retestedAt, r.closedAt(), r.outcome(), state, late));
    }
    lines.sort(Comparator.comparing((Line l) -> l.state() == RecallState.CLOSED).thenComparing(l -> !l.overdue())
        .thenComparing(Line::since));
    return new Board(siteCode, districtCode, now, properties.overdueAfter().toMinutes(),
        new Counts(rows.size() - closed, notified, retested, overdue, closed), lines);
  }

  /** The single-tube samplings of the rows' persons since the oldest row, per person, in time order. */
  private Map<UUID, List<Instant>> retests(List<Row> rows) {
    if (rows.isEmpty()) {
      return Map.of();
    }
    Instant oldest = rows.stream().map(Row::since).min(Comparator.naturalOrder()).orElseThrow();
    Map<UUID, List<Instant>> out = new HashMap<>();
    for (SampledTubes.Member m : tubes.singleSamplingsSince(rows.stream().map(Row::person).distinct().toList(), oldest)) {
      out.computeIfAbsent(m.personId(), k -> new ArrayList<>()).add(m.sampledAt());
    }
    return out;
  }

  // ------------------------------------------------------------------ the command centre

  /** RECALL_OVERDUE per site: persons recalled there and not retested within the limit. */
  @Override
  @Transactional(readOnly = true)
  public List<Alerts.Alert> current() {
    Instant now = clock.instant();
    List<Row> rows = jdbc.sql("""
            select binding_id, person_id, site_code, tube_code, reason, since from recalls
            where closed_at is null and since < ? order by since limit 20000""")
        .param(now.minus(properties.overdueAfter()).atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class)), null, null, null, null))
        .list();
    Map<UUID, List<Instant>> retests = retests(rows);
    record Late(int persons, Instant oldest) {}
    Map<String, Late> bySite = new TreeMap<>();
    for (Row r : rows) {
      if (retests.getOrDefault(r.person(), List.of()).stream().noneMatch(t -> t.isAfter(r.since()))) {
        bySite.merge(r.site(), new Late(1, r.since()), (a, b) -> new Late(a.persons() + b.persons(),
            a.oldest().isBefore(b.oldest()) ? a.oldest() : b.oldest()));
      }
    }
    long hours = properties.overdueAfter().toHours();
    List<Alerts.Alert> out = new ArrayList<>();
    bySite.forEach((site, late) -> out.add(new Alerts.Alert("RECALL_OVERDUE", site, late.oldest().plus(properties.overdueAfter()),
        late.persons() + " recalled person(s) at site " + site + " not retested " + (hours > 0 ? hours + " h" : properties.overdueAfter().toMinutes() + " min")
            + " after the recall (oldest recalled at " + HHMM.format(late.oldest()) + ")")));
    return out;
  }

  /** A recall past its limit without a retest: what grid follow-up turns into a task (ADR 0032). */
  public record OverdueRecall(UUID bindingId, UUID personId, String siteCode, String reason, Instant since, Instant dueAt) {}

  /** Open recalls older than the limit whose person has had no single-tube sampling since, oldest first. */
  @Transactional(readOnly = true)
  public List<OverdueRecall> overdue(int limit) {
    List<Row> rows = jdbc.sql("""
            select binding_id, person_id, site_code, tube_code, reason, since from recalls
            where closed_at is null and since < ? order by since limit ?""")
        .params(clock.instant().minus(properties.overdueAfter()).atOffset(ZoneOffset.UTC), limit)
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
            rs.getString(5), instant(rs.getObject(6, OffsetDateTime.class)), null, null, null, null))
        .list();
    Map<UUID, List<Instant>> retests = retests(rows);
    return rows.stream().filter(r -> retests.getOrDefault(r.person(), List.of()).stream().noneMatch(t -> t.isAfter(r.since())))
        .map(r -> new OverdueRecall(r.binding(), r.person(), r.site(), r.reason(), r.since(), r.since().plus(properties.overdueAfter())))
        .toList();
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
