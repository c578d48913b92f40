package org.epiloop.earlywarning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.epiloop.alerts.Alerts;
import org.epiloop.directory.Directory;
import org.epiloop.feverclinic.FeverVisits;
import org.epiloop.identity.Persons;
import org.epiloop.monitoring.Declarations;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.results.PersonResults;
import org.epiloop.shared.ApiException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Evaluates the early-warning rules (D4) and keeps their episodes: a rule firing for a place
 * opens one (and raises one alert of kind {@value #KIND} naming the rule), keeps it open while it
 * fires, and ends it when it goes quiet, so a lasting cluster is one alert, not one a minute.
 */
@Service
@EnableConfigurationProperties(EarlyWarningProperties.class)
public class EarlyWarnings {

  /** The alert kind of every early warning; the subject starts with the rule's name. */
  public static final String KIND = "EARLY_WARNING";
  /** Evaluations are serialised across copies by this advisory lock (one copy evaluates at a time). */
  private static final long LOCK = 0x45_57_41_52_4eL;

  /** One episode as officials see it. */
  public record Warning(long id, WarningRule rule, String districtCode, String scopeCode, Instant startedAt, Instant lastSeenAt,
      Instant endedAt, double observed, String reason) {}

  /** A rule as configured: its place in the order and what it watches. */
  record Rule(int order, WarningRule rule, Map<String, String> settings) {}

  /** One cell of the heat layer: a district (or a grid in it) on one day. */
  record HeatCell(LocalDate day, String districtCode, String gridCode, int positives, int feverVisits, int declaredFevers) {}

  private final JdbcClient jdbc;
  private final Directory directory;
  private final PersonResults results;
  private final Persons persons;
  private final Declarations declarations;
  private final FeverVisits visits;
  private final Alerts alerts;
  private final EarlyWarningProperties properties;
  private final WarningSettings settings;
  private final Clock clock;
  private final ZoneId zone;

  EarlyWarnings(JdbcClient jdbc, Directory directory, PersonResults results, Persons persons, Declarations declarations, FeverVisits visits, Alerts alerts,
      EarlyWarningProperties properties, WarningSettings settings, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.results = results;
    this.persons = persons;
    this.declarations = declarations;
    this.visits = visits;
    this.alerts = alerts;
    this.properties = properties;
    this.settings = settings;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  /** The rules in force, in order. */
  List<WarningRule> rules() {
    return properties.rules().stream().map(WarningRule::valueOf).toList();
  }

  /** The rules in force, in order, each with its thresholds as they stand now. */
  @Transactional(readOnly = true)
  List<Rule> describe() {
    Map<WarningSetting, String> values = settings.current().values();
    List<Rule> out = new ArrayList<>();
    int i = 1;
    for (WarningRule r : rules()) {
      Map<String, String> s = new TreeMap<>();
      for (WarningSetting setting : WarningSetting.values()) {
        if (setting.rule() == r) {
          s.put(setting.key(), values.get(setting));
        }
      }
      out.add(new Rule(i++, r, s));
    }
    return out;
  }

  /**
   * Evaluates every rule now: opens an episode (and raises its alert) for each new firing, keeps
   * those still firing, ends those gone quiet. Returns the episodes opened now.
   */
  @Transactional
  public List<Warning> evaluate() {
    if (!jdbc.sql("select pg_try_advisory_xact_lock(?)").param(LOCK).query(Boolean.class).single()) {
      return List.of(); // another copy is evaluating the same data this moment
    }
    Instant now = clock.instant();
    // read at every evaluation: a threshold an official changed holds from the next one, on every copy
    Thresholds thresholds = settings.current();
    Snapshot snapshot = snapshot(now, thresholds);
    Set<Long> firing = new HashSet<>();
    List<Warning> opened = new ArrayList<>();
    for (WarningRule rule : rules()) {
      for (WarningRule.Finding f : rule.evaluate(snapshot, thresholds)) {
        Long open = jdbc.sql("select id from early_warnings where rule = ? and district_code = ? and scope_code = ? and ended_at is null")
            .params(rule.name(), f.districtCode(), f.scopeCode()).query(Long.class).optional().orElse(null);
        if (open != null) {
          jdbc.sql("update early_warnings set last_seen_at = ?, observed = ?, reason = ? where id = ?")
              .params(utc(now), f.observed(), f.reason(), open).update();
          firing.add(open);
          continue;
        }
        long id = jdbc.sql("""
                insert into early_warnings (rule, district_code, scope_code, started_at, last_seen_at, observed, reason)
                values (?, ?, ?, ?, ?, ?, ?) returning id""")
            .params(rule.name(), f.districtCode(), f.scopeCode(), utc(now), utc(now), f.observed(), f.reason()).query(Long.class).single();
        firing.add(id);
        alerts.raise(KIND, subject(rule, f.districtCode(), f.scopeCode(), id), f.reason());
        opened.add(new Warning(id, rule, f.districtCode(), f.scopeCode(), now, now, null, f.observed(), f.reason()));
      }
    }
    jdbc.sql("update early_warnings set ended_at = ? where ended_at is null and not (id = any(?))")
        .params(utc(now), firing.toArray(Long[]::new)).update();
    return opened;
  }

  /** The subject of an episode's alert: rule, district, place and episode, so each episode is one alert. */
  static String subject(WarningRule rule, String district, String scope, long id) {
    return rule.name() + " / " + district + (scope.equals(district) ? "" : " / " + scope) + " / #" + id;
  }

  /** Open episodes, or also those that started in the last {@code days}, newest first. */
  @Transactional(readOnly = true)
  List<Warning> list(String districtCode, boolean openOnly, int days) {
    if (days < 1 || days > 90) {
      throw ApiException.badRequest("VALIDATION_FAILED", "days", "days must be 1–90");
    }
    return jdbc.sql("""
            select id, rule, district_code, scope_code, started_at, last_seen_at, ended_at, observed, reason from early_warnings
            where (?::text is null or district_code = ?) and (case when ? then ended_at is null else started_at > ? or ended_at is null end)
            order by started_at desc limit 500""")
        .params(districtCode, districtCode, openOnly, utc(clock.instant().minus(Duration.ofDays(days))))
        .query((rs, i) -> {
          OffsetDateTime ended = rs.getObject(7, OffsetDateTime.class);
          return new Warning(rs.getLong(1), WarningRule.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
              rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getObject(6, OffsetDateTime.class).toInstant(),
              ended == null ? null : ended.toInstant(), rs.getDouble(8), rs.getString(9));
        })
        .list();
  }

  /** The episode an alert subject names, if any (the simulator checks every early-warning alert has its rule). */
  @Transactional(readOnly = true)
  public java.util.Optional<Warning> ofAlert(String subject) {
    int hash = subject.lastIndexOf("#");
    if (hash < 0) {
      return java.util.Optional.empty();
    }
    long id;
    try {
      id = Long.parseLong(subject.substring(hash + 1));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
    return list(null, false, 90).stream().filter(w -> w.id() == id && subject.startsWith(w.rule().name() + " / ")).findFirst();
  }

  /**
   * The heat layer: positives, fever-clinic visits and declared fevers per day and district —
   * or per grid, with {@code byGrid} — from {@code from} to {@code to} (days in the city's zone).
   */
  @Transactional(readOnly = true)
  List<HeatCell> heat(LocalDate from, LocalDate to, boolean byGrid) {
    if (to.isBefore(from) || from.plusDays(92).isBefore(to)) {
      throw ApiException.badRequest("INVALID_DATE", "to", "to must be on or after from, at most 92 days later");
    }
    Instant start = from.atStartOfDay(zone).toInstant();
    Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
    Snapshot s = gather(start, end, end);
    Map<String, int[]> cells = new TreeMap<>();
    for (Snapshot.Positive p : s.positives()) {
      add(cells, p.reportedAt(), p.districtCode(), byGrid ? p.gridCode() : null, 0, byGrid);
    }
    for (Snapshot.Visit v : s.visits()) {
      add(cells, v.visitedAt(), v.districtCode(), byGrid ? v.gridCode() : null, 1, byGrid);
    }
    for (Snapshot.Fever f : s.fevers()) {
      add(cells, f.declaredAt(), f.districtCode(), byGrid ? f.gridCode() : null, 2, byGrid);
    }
    List<HeatCell> out = new ArrayList<>();
    cells.forEach((k, c) -> {
      String[] parts = k.split("\\|", -1);
      out.add(new HeatCell(LocalDate.parse(parts[0]), parts[1], parts[2].isEmpty() ? null : parts[2], c[0], c[1], c[2]));
    });
    return out;
  }

  private void add(Map<String, int[]> cells, Instant at, String district, String grid, int column, boolean byGrid) {
    if (district == null || (byGrid && grid == null)) {
      return;
    }
    cells.computeIfAbsent(LocalDate.ofInstant(at, zone) + "|" + district + "|" + (grid == null ? "" : grid), k -> new int[3])[column]++;
  }

  /** What the rules read now: each window as long as its rule needs. */
  private Snapshot snapshot(Instant now, Thresholds t) {
    Duration back = t.clusterWindow();
    back = back.compareTo(t.declaredFeverWindow()) < 0 ? t.declaredFeverWindow() : back;
    Duration surge = Duration.ofDays(t.surgeBaselineDays()).plusHours(1);
    back = back.compareTo(surge) < 0 ? surge : back;
    return gather(now.minus(back), now, now);
  }

  private Snapshot gather(Instant from, Instant to, Instant now) {
    List<PersonResults.Positive> positives = results.positivesReported(from, to);
    List<UUID> ids = positives.stream().map(PersonResults.Positive::personId).distinct().toList();
    Map<UUID, Persons.PersonView> views = persons.views(ids);
    Map<UUID, String> grids = declarations.gridsOf(ids);
    // where the person lives when they registered one (residents do), else where they were sampled (walk-ins register none)
    Map<String, String> siteDistricts = new java.util.HashMap<>();
    List<Snapshot.Positive> ps = positives.stream().map(p -> {
      Persons.PersonView v = views.get(p.personId());
      String district = v == null ? null : v.districtCode();
      if (district == null && p.siteCode() != null) {
        district = siteDistricts.computeIfAbsent(p.siteCode(), s -> directory.site(s).map(Directory.Site::districtCode).orElse(""));
      }
      return new Snapshot.Positive(district == null || district.isEmpty() ? null : district, grids.get(p.personId()), p.reportedAt());
    }).toList();
    List<Snapshot.Visit> vs = visits.visitsBetween(from, to).stream()
        .map(v -> new Snapshot.Visit(v.districtCode(), v.gridCode(), v.visitedAt())).toList();
    List<Snapshot.Fever> fs = declarations.feversDeclared(from, to).stream()
        .map(f -> new Snapshot.Fever(f.districtCode(), f.gridCode(), f.declaredAt())).toList();
    return new Snapshot(now, ps, vs, fs);
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
