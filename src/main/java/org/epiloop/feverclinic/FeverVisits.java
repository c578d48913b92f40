package org.epiloop.feverclinic;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.alerts.Alerts;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.monitoring.Declarations;
import org.epiloop.monitoring.RiskLevel;
import org.epiloop.monitoring.Symptom;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultStatus;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Fever-clinic visits (M3). A HOSPITAL account reports for its own hospital only (403
 * {@code OUT_OF_SCOPE} for another's visit); officials read every hospital. The person is found
 * or registered by document through identity, in the hospital's district. The exposure (the
 * level of an arrival's origin in force AT THE VISIT, a declared case contact) is taken from
 * monitoring when the visit is reported and kept, so the screen shows what was known then.
 */
@Service
@EnableConfigurationProperties(FeverClinicProperties.class)
public class FeverVisits {

  /** Alert kind of a visitor not tested in time. */
  static final String UNTESTED = "FEVER_VISIT_UNTESTED";
  /** A visit may be reported this late (a paper list typed in after a night shift). */
  static final Duration OLDEST_VISIT = Duration.ofHours(48);

  /**
   * What a hospital reports. {@code visitedAt} defaults to now; {@code hospitalCode}, when sent,
   * must be the account's own (403 OUT_OF_SCOPE: an account reports for its one hospital).
   */
  record Report(String idType, String idNumber, String name, BigDecimal temperature, List<String> symptoms, Boolean tested,
      String visitedAt, String hospitalCode) {
    @Override
    public String toString() { // never the document in a log line
      return "Report[" + temperature + "]";
    }
  }

  /**
   * A visit as the hospital and officials see it: the person masked. {@code result} is the
   * hospital's entry or, where the person has a released result sampled since the visit, that
   * one ({@code resultSource} says which).
   */
  record Visit(UUID visitId, String hospitalCode, String districtCode, UUID personId, String nameMasked, String idMasked,
      Instant visitedAt, BigDecimal temperature, List<Symptom> symptoms, Instant testedAt, String result, String resultSource,
      RiskLevel riskLevel, String riskRegion, boolean caseContact, boolean overdue) {}

  /** One visit, for the early warning and the heat layer: where and when, no person. */
  public record VisitPlace(String districtCode, String gridCode, String hospitalCode, Instant visitedAt) {}

  record HourCount(String hospitalCode, Instant hour, int visits) {}

  record HospitalLine(String code, String name, String districtCode, int visits, int febrile, int flagged, int untested) {}

  /** The officials' monitoring screen. */
  record Monitor(Instant asOf, int hours, long untestedAfterMinutes, int visits, List<HospitalLine> hospitals, List<HourCount> perHour,
      List<Visit> flagged, List<Visit> untested) {}

  private final JdbcClient jdbc;
  private final Directory directory;
  private final Persons persons;
  private final Declarations declarations;
  private final PersonResults results;
  private final Alerts alerts;
  private final AuditTrail audit;
  private final FeverClinicProperties properties;
  private final Clock clock;
  private final ZoneId zone;

  FeverVisits(JdbcClient jdbc, Directory directory, Persons persons, Declarations declarations, PersonResults results, Alerts alerts,
      AuditTrail audit, FeverClinicProperties properties, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.persons = persons;
    this.declarations = declarations;
    this.results = results;
    this.alerts = alerts;
    this.audit = audit;
    this.properties = properties;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  /** The hospital a HOSPITAL account reports for (403 when it has none). */
  String hospitalOf(Actor actor) {
    return directory.hospitalOf(actor.name()).orElseThrow(() -> ApiException.outOfScope("Your account reports for no hospital"));
  }

  /** A hospital reports a visit; audited (the person is read by document). */
  @Transactional
  Visit report(Actor staff, Report in) {
    if (in == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "idNumber", "idNumber is required");
    }
    String hospitalCode = hospitalOf(staff);
    if (in.hospitalCode() != null && !in.hospitalCode().isBlank() && !in.hospitalCode().strip().equals(hospitalCode)) {
      throw ApiException.outOfScope("Your account reports for hospital " + hospitalCode + " only");
    }
    Directory.Hospital hospital = directory.hospital(hospitalCode).orElseThrow();
    if (!hospital.designated()) {
      // an undesignated hospital keeps its past visits (and may still enter their results), but reports no new ones
      throw new ApiException(org.springframework.http.HttpStatus.FORBIDDEN, "HOSPITAL_NOT_DESIGNATED",
          "Hospital " + hospitalCode + " is no longer a designated fever clinic: it reports no new visits", null);
    }
    Persons.Document doc = Persons.Document.of(in.idType(), in.idNumber(), in.name(), clock);
    BigDecimal temperature = temperature(in.temperature());
    List<Symptom> symptoms = Symptom.parse("symptoms", in.symptoms());
    Instant now = clock.instant();
    Instant visitedAt = now;
    if (in.visitedAt() != null && !in.visitedAt().isBlank()) {
      try {
        visitedAt = OffsetDateTime.parse(in.visitedAt()).toInstant();
      } catch (DateTimeParseException e) {
        throw ApiException.badRequest("INVALID_TIMESTAMP", "visitedAt", "visitedAt must be a time with offset (ISO-8601)");
      }
      if (visitedAt.isAfter(now.plus(Duration.ofMinutes(5))) || visitedAt.isBefore(now.minus(OLDEST_VISIT))) {
        throw ApiException.badRequest("INVALID_TIMESTAMP", "visitedAt", "visitedAt must be within the last 48 hours and not in the future");
      }
    }
    UUID personId = persons.findOrRegister(staff, doc, hospital.districtCode()).personId();
    Declarations.Exposure exposure = declarations.exposureAt(personId, visitedAt, properties.exposureWindow());
    UUID id = UUID.randomUUID();
    boolean tested = Boolean.TRUE.equals(in.tested());
    jdbc.sql("""
            insert into fever_visits (id, hospital_code, district_code, grid_code, person_id, visited_at, temperature, symptoms, tested_at,
              risk_level, risk_region, case_contact, reported_by)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, hospitalCode, hospital.districtCode(), hospital.gridCode(), personId, utc(visitedAt), temperature,
            symptoms.stream().map(Enum::name).toArray(String[]::new), tested ? utc(visitedAt) : null,
            exposure.level() == null ? null : exposure.level().name(), exposure.fromRegion(), exposure.caseContact(), staff.name())
        .update();
    audit.record(staff, "FEVER_VISIT_REPORTED", "person", personId.toString(), "hospital " + hospitalCode + ", visit " + id);
    return find(id, now);
  }

  /** The hospital marks that the visitor's test was taken, or enters its result (which implies it was taken). */
  @Transactional
  Visit test(Actor staff, UUID visitId, String result) {
    Visit v = find(visitId, clock.instant());
    requireScope(staff, v.hospitalCode());
    VisitResult r = null;
    if (result != null) {
      try {
        r = VisitResult.valueOf(result);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("INVALID_RESULT", "result", "result is NEGATIVE or POSITIVE");
      }
    }
    Instant now = clock.instant();
    jdbc.sql("""
            update fever_visits set tested_at = coalesce(tested_at, ?), result = coalesce(?, result),
              result_at = case when ?::text is null then result_at else ? end where id = ?""")
        .params(utc(now), r == null ? null : r.name(), r == null ? null : r.name(), utc(now), visitId).update();
    // a visitor tested after all no longer needs the district's attention
    alerts.clear(UNTESTED, subject(v), "tested at the hospital");
    audit.record(staff, r == null ? "FEVER_VISIT_TESTED" : "FEVER_VISIT_RESULT", "person", v.personId().toString(),
        "visit " + visitId + (r == null ? "" : ", " + r));
    return find(visitId, now);
  }

  /** The visits of the actor's hospital (HOSPITAL) or of the named one (officials), newest first, within the last {@code hours}. */
  @Transactional(readOnly = true)
  List<Visit> list(Actor actor, String hospitalCode, int hours, boolean untestedOnly) {
    String code = hospitalCode;
    if (actor.role() == Role.HOSPITAL) {
      code = hospitalOf(actor);
      if (hospitalCode != null) {
        requireScope(actor, hospitalCode);
      }
    } else if (code == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "hospitalCode", "Choose a hospital");
    }
    Instant now = clock.instant();
    return withResults(jdbc.sql(SELECT + """
             where v.hospital_code = ? and v.visited_at > ? and (not ? or v.tested_at is null)
            order by v.visited_at desc limit 200""")
        .params(code, utc(now.minus(Duration.ofHours(hours(hours)))), untestedOnly)
        .query((rs, i) -> row(rs, now)).list());
  }

  /** Visits per hospital and hour, visitors with an exposure, visitors not tested in time: the last {@code hours}. */
  @Transactional(readOnly = true)
  Monitor monitor(String districtCode, int hours) {
    int h = hours(hours);
    Instant now = clock.instant();
    Instant from = now.minus(Duration.ofHours(h));
    List<Row> rows = jdbc.sql(SELECT + " where v.visited_at > ? and v.visited_at <= ? and (?::text is null or v.district_code = ?) order by v.visited_at desc limit 2000")
        .params(utc(from), utc(now), districtCode, districtCode).query((rs, i) -> row(rs, now)).list();
    Map<String, Directory.Hospital> hospitals = new LinkedHashMap<>();
    directory.hospitals().stream().filter(x -> districtCode == null || x.districtCode().equals(districtCode))
        .forEach(x -> hospitals.put(x.code(), x));
    Map<String, int[]> byHospital = new LinkedHashMap<>();
    hospitals.keySet().forEach(c -> byHospital.put(c, new int[4]));
    Map<String, Map<Instant, Integer>> perHour = new LinkedHashMap<>();
    List<Visit> visits = withResults(rows);
    List<Visit> flagged = new ArrayList<>();
    List<Visit> untested = new ArrayList<>();
    for (Visit v : visits) {
      int[] c = byHospital.computeIfAbsent(v.hospitalCode(), k -> new int[4]);
      c[0]++;
      if (v.temperature().compareTo(FEVER) >= 0) {
        c[1]++;
      }
      if (v.riskLevel() != null || v.caseContact()) {
        c[2]++;
        flagged.add(v);
      }
      if (v.overdue()) {
        c[3]++;
        untested.add(v);
      }
      perHour.computeIfAbsent(v.hospitalCode(), k -> new java.util.TreeMap<>()).merge(v.visitedAt().truncatedTo(ChronoUnit.HOURS), 1,
          Integer::sum);
    }
    List<HospitalLine> lines = new ArrayList<>();
    byHospital.forEach((code, c) -> {
      Directory.Hospital x = hospitals.get(code);
      lines.add(new HospitalLine(code, x == null ? code : x.name(), x == null ? null : x.districtCode(), c[0], c[1], c[2], c[3]));
    });
    List<HourCount> hourly = new ArrayList<>();
    perHour.forEach((code, m) -> m.forEach((hour, n) -> hourly.add(new HourCount(code, hour, n))));
    return new Monitor(now, h, properties.untestedAfter().toMinutes(), visits.size(), lines, hourly, flagged, untested);
  }

  /**
   * Raises an alert for every visitor not tested within {@code untestedAfter} of the visit, once
   * each; a visitor with a sampling in Epiloop since the visit counts as tested (linked, not
   * alerted). Every copy runs it: "for update skip locked" gives each visit to one of them.
   */
  @Transactional
  public int raiseUntested() {
    Instant now = clock.instant();
    record Due(UUID id, String hospital, String district, UUID person, Instant visitedAt) {}
    List<Due> due = jdbc.sql("""
            select id, hospital_code, district_code, person_id, visited_at from fever_visits
            where tested_at is null and untested_alert_at is null and visited_at <= ?
            order by visited_at limit 500 for update skip locked""")
        .param(utc(now.minus(properties.untestedAfter())))
        .query((rs, i) -> new Due(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
    int raised = 0;
    for (Due d : due) {
      Instant sampled = results.samplingsOf(d.person()).stream().map(PersonResults.Sampling::sampledAt)
          .filter(t -> !t.isBefore(d.visitedAt())).min(Instant::compareTo).orElse(null);
      if (sampled != null) {
        jdbc.sql("update fever_visits set tested_at = ? where id = ?").params(utc(sampled), d.id()).update();
        continue;
      }
      jdbc.sql("update fever_visits set untested_alert_at = ? where id = ?").params(utc(now), d.id()).update();
      alerts.raise(UNTESTED, d.district() + " / " + d.hospital() + " / " + d.id().toString().substring(0, 8),
          "发热门诊就诊者 " + properties.untestedAfter().toHours() + " 小时内未检测 fever-clinic visitor not tested within "
              + properties.untestedAfter().toHours() + " h of the visit at " + d.visitedAt().atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES)
              + " (hospital " + d.hospital() + ", district " + d.district() + ")");
      raised++;
    }
    return raised;
  }

  /** Visits in [from, to), for the early warning and the heat layer. */
  @Transactional(readOnly = true)
  public List<VisitPlace> visitsBetween(Instant from, Instant to) {
    return jdbc.sql("select district_code, grid_code, hospital_code, visited_at from fever_visits where visited_at >= ? and visited_at < ?")
        .params(utc(from), utc(to))
        .query((rs, i) -> new VisitPlace(rs.getString(1), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant()))
        .list();
  }

  /** How many visits a staff account reported (the simulator checks every visit it sent was recorded). */
  @Transactional(readOnly = true)
  public long countReportedBy(String username) {
    return jdbc.sql("select count(*) from fever_visits where reported_by = ?").param(username).query(Long.class).single();
  }

  static final BigDecimal FEVER = new BigDecimal("37.3");

  private void requireScope(Actor actor, String hospitalCode) {
    if (actor.role() == Role.HOSPITAL && !hospitalCode.equals(hospitalOf(actor))) {
      throw ApiException.outOfScope("You report only for hospital " + hospitalOf(actor));
    }
  }

  private static final String SELECT = """
      select v.id, v.hospital_code, v.district_code, v.person_id, v.visited_at, v.temperature, v.symptoms, v.tested_at, v.result,
             v.risk_level, v.risk_region, v.case_contact from fever_visits v""";

  private record Row(UUID id, String hospital, String district, UUID person, Instant visitedAt, BigDecimal temperature,
      List<Symptom> symptoms, Instant testedAt, String result, RiskLevel level, String region, boolean contact, boolean overdue) {}

  private Row row(ResultSet rs, Instant now) throws SQLException {
    Instant visited = rs.getObject(5, OffsetDateTime.class).toInstant();
    OffsetDateTime tested = rs.getObject(8, OffsetDateTime.class);
    return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, UUID.class), visited,
        rs.getBigDecimal(6), Arrays.stream((String[]) rs.getArray(7).getArray()).map(Symptom::valueOf).toList(),
        tested == null ? null : tested.toInstant(), rs.getString(9), rs.getString(10) == null ? null : RiskLevel.valueOf(rs.getString(10)),
        rs.getString(11), rs.getBoolean(12), tested == null && !visited.plus(properties.untestedAfter()).isAfter(now));
  }

  /** Masks the persons and links each visit to the person's released result sampled since the visit, where there is one. */
  private List<Visit> withResults(List<Row> rows) {
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(Row::person).distinct().toList());
    Map<UUID, List<PersonResults.ResultLine>> lines = new java.util.HashMap<>();
    List<Visit> out = new ArrayList<>();
    for (Row r : rows) {
      String result = r.result();
      String source = result == null ? null : "HOSPITAL";
      Instant tested = r.testedAt();
      // the person's released results, newest first; the earliest since the visit answers it
      PersonResults.ResultLine released = lines.computeIfAbsent(r.person(), results::of).stream()
          .filter(l -> l.status() != ResultStatus.PENDING && !l.sampledAt().isBefore(r.visitedAt()))
          .reduce((newer, older) -> older).orElse(null);
      if (released != null) {
        result = released.status().name();
        source = released.source() == null ? "EPILOOP" : released.source();
        tested = tested == null ? released.sampledAt() : tested;
      }
      Persons.PersonView p = views.get(r.person());
      out.add(new Visit(r.id(), r.hospital(), r.district(), r.person(), p == null ? null : p.nameMasked(), p == null ? null : p.idMasked(),
          r.visitedAt(), r.temperature(), r.symptoms(), tested, result, source, r.level(), r.region(), r.contact(), tested == null && r.overdue()));
    }
    return out;
  }

  private Visit find(UUID id, Instant now) {
    return withResults(jdbc.sql(SELECT + " where v.id = ?").param(id).query((rs, i) -> row(rs, now)).list()).stream().findFirst()
        .orElseThrow(() -> ApiException.notFound("VISIT_NOT_FOUND", "No fever-clinic visit " + id));
  }

  private String subject(Visit v) {
    return v.districtCode() + " / " + v.hospitalCode() + " / " + v.visitId().toString().substring(0, 8);
  }

  private static int hours(int hours) {
    if (hours < 1 || hours > 168) {
      throw ApiException.badRequest("VALIDATION_FAILED", "hours", "hours must be 1–168");
    }
    return hours;
  }

  static BigDecimal temperature(BigDecimal t) {
    if (t == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "temperature", "temperature is required");
    }
    if (t.scale() > 1 && t.stripTrailingZeros().scale() > 1 || t.compareTo(new BigDecimal("34.0")) < 0 || t.compareTo(new BigDecimal("43.0")) > 0) {
      throw ApiException.badRequest("INVALID_TEMPERATURE", "temperature", "temperature must be 34.0–43.0 °C with at most one decimal");
    }
    return t;
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
