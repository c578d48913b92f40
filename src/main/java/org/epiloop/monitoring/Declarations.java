package org.epiloop.monitoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.FreeText;
import org.epiloop.shared.PiiCrypto;
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Declarations (M1, M2): what a resident declares for themself or a family member on their
 * account, or what a grid worker uploads about a high-risk person they found (by ID number,
 * audited). Each names the grid that follows it up (the resident chooses where they stay now;
 * that is what a worker can visit), and is announced as {@link DeclarationMade}. The colour rules
 * read {@link #factsOf}: arrivals with the origin's level at the arrival time, declared fevers,
 * and uploads.
 */
@Service
public class Declarations {

  /** Declarations per person and day: enough for corrections, not a flood of tasks. */
  static final RateLimits.Limit PER_PERSON = new RateLimits.Limit("declarations-person", 10, Duration.ofDays(1));
  /** How far back an arrival may be declared. */
  static final Duration OLDEST_ARRIVAL = Duration.ofDays(60);

  /**
   * What is declared. Arrival: {@code fromRegion} (a region code), {@code arrivedAt} (ISO-8601
   * with offset) and {@code transport}; symptoms with {@code onsetDate}; {@code caseContact}
   * with {@code contactDate}. At least one of the three.
   */
  public record Input(String gridCode, String address, String fromRegion, String arrivedAt, String transport, List<String> symptoms,
      String onsetDate, Boolean caseContact, String contactDate, @FreeText String note) {
    @Override
    public String toString() { // never the address in a log line
      return "Declarations.Input[" + gridCode + ", " + fromRegion + "]";
    }
  }

  /** A declaration as its own account (or the worker who uploaded it) sees it; no personal data. */
  public record Declaration(UUID declarationId, UUID personId, String gridCode, String source, Instant declaredAt, String fromRegion,
      Instant arrivedAt, Transport transport, RiskLevel riskLevel, List<Symptom> symptoms, LocalDate onsetDate, boolean caseContact,
      LocalDate contactDate, String kind) {}

  /** An arrival with the level its origin had at the arrival time (null: no risk area). */
  public record Arrival(String fromRegion, String areaName, Instant arrivedAt, RiskLevel level) {}

  /** What the colour rules read about one person. */
  public record Facts(List<Arrival> arrivals, List<Instant> feversSince, List<Instant> uploadedAt) {
    public static final Facts NONE = new Facts(List.of(), List.of(), List.of());
  }

  private final JdbcClient jdbc;
  private final Persons persons;
  private final Directory directory;
  private final RiskAreas areas;
  private final PiiCrypto crypto;
  private final RateLimits limits;
  private final AuditTrail audit;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ZoneId zone;

  Declarations(JdbcClient jdbc, Persons persons, Directory directory, RiskAreas areas, PiiCrypto crypto, RateLimits limits,
      AuditTrail audit, ApplicationEventPublisher events, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.persons = persons;
    this.directory = directory;
    this.areas = areas;
    this.crypto = crypto;
    this.limits = limits;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  /** A resident declares for a person their account holds (403 otherwise). */
  @Transactional
  public Declaration declare(Actor resident, UUID personId, Input in) {
    persons.requireHeldBy(resident, personId);
    return record(resident, personId, in, "RESIDENT");
  }

  /**
   * A grid worker uploads a high-risk person they found, by document (registered now if new, in
   * the grid's district); only in a grid of theirs (403 {@code OUT_OF_SCOPE}). Audited.
   */
  @Transactional
  public Declaration upload(Actor worker, String idType, String idNumber, String name, Input in) {
    requireGrid(worker, in == null ? null : in.gridCode());
    Persons.Document doc = Persons.Document.of(idType, idNumber, name, clock);
    Directory.Grid grid = directory.grid(in.gridCode()).orElseThrow();
    UUID personId = persons.findOrRegister(worker, doc, grid.districtCode()).personId();
    Declaration d = record(worker, personId, in, "GRID_WORKER");
    audit.record(worker, "HIGH_RISK_PERSON_UPLOADED", "person", personId.toString(), "grid " + grid.code() + ", " + d.kind());
    return d;
  }

  /** Fails with 403 {@code OUT_OF_SCOPE} unless the actor is a grid worker of that grid (officials and admins pass). */
  public void requireGrid(Actor actor, String gridCode) {
    ApiException.required("gridCode", gridCode);
    if (actor.role() == Role.GRID_WORKER && !directory.gridsOf(actor.name()).contains(gridCode)) {
      throw ApiException.outOfScope("You follow up only grids " + directory.gridsOf(actor.name()));
    }
    if (directory.grid(gridCode).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_GRID", "gridCode", "No grid " + gridCode);
    }
  }

  private Declaration record(Actor actor, UUID personId, Input in, String source) {
    if (in == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "gridCode", "gridCode is required");
    }
    Instant now = clock.instant();
    Directory.Grid grid = directory.grid(ApiException.required("gridCode", in.gridCode()))
        .orElseThrow(() -> ApiException.badRequest("UNKNOWN_GRID", "gridCode", "No grid " + in.gridCode()));
    String address = in.address() == null || in.address().isBlank() ? null : in.address().strip();
    if (address != null && address.length() > 200) {
      throw ApiException.badRequest("VALIDATION_FAILED", "address", "address must be at most 200 characters");
    }
    String from = in.fromRegion() == null || in.fromRegion().isBlank() ? null : RegionCodes.check("fromRegion", in.fromRegion());
    Instant arrivedAt = null;
    Transport transport = null;
    if (from != null) {
      arrivedAt = instant("arrivedAt", in.arrivedAt());
      if (arrivedAt.isAfter(now.plus(Duration.ofMinutes(5))) || arrivedAt.isBefore(now.minus(OLDEST_ARRIVAL))) {
        throw ApiException.badRequest("INVALID_TIMESTAMP", "arrivedAt", "arrivedAt must be within the last 60 days and not in the future");
      }
      transport = transport(in.transport());
    } else if (in.arrivedAt() != null || in.transport() != null) {
      ApiException.required("fromRegion", in.fromRegion());
    }
    List<Symptom> symptoms = Symptom.parse("symptoms", in.symptoms());
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate onset = symptoms.isEmpty() ? null : pastDate("onsetDate", in.onsetDate(), today);
    boolean contact = Boolean.TRUE.equals(in.caseContact());
    LocalDate contactDate = contact ? pastDate("contactDate", in.contactDate(), today) : null;
    if (from == null && symptoms.isEmpty() && !contact) {
      throw ApiException.badRequest("EMPTY_DECLARATION", "fromRegion", "Declare an arrival, symptoms or a contact with a case");
    }
    String note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
    if (note != null && note.length() > 500) {
      throw ApiException.badRequest("VALIDATION_FAILED", "note", "note must be at most 500 characters");
    }
    limits.acquire(PER_PERSON, personId.toString(), "RATE_LIMITED", "At most " + PER_PERSON.max() + " declarations per person a day");
    UUID id = UUID.randomUUID();
    jdbc.sql("""
            insert into declarations (id, person_id, grid_code, district_code, source, declared_by, declared_at, address_enc, from_region,
              arrived_at, transport, symptoms, fever, onset_date, case_contact, contact_date, note)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, personId, grid.code(), grid.districtCode(), source, actor.name(), now.atOffset(ZoneOffset.UTC),
            address == null ? null : crypto.encrypt(address), from, arrivedAt == null ? null : arrivedAt.atOffset(ZoneOffset.UTC),
            transport == null ? null : transport.name(), symptoms.stream().map(Enum::name).toArray(String[]::new),
            symptoms.contains(Symptom.FEVER), onset, contact, contactDate, note)
        .update();
    RiskLevel level = from == null ? null : areas.levelAt(from, arrivedAt);
    String kind = contact ? "CLOSE_CONTACT" : from != null ? "ARRIVAL" : "SYMPTOMS";
    StringBuilder summary = new StringBuilder();
    if (from != null) {
      summary.append("来自 from ").append(from).append(level == null ? "" : " (" + level + ")").append(", ")
          .append(arrivedAt.atZone(zone).toLocalDate()).append(' ').append(transport);
    }
    if (!symptoms.isEmpty()) {
      summary.append(summary.isEmpty() ? "" : "; ").append("症状 symptoms ").append(String.join(", ", symptoms.stream().map(Enum::name).toList()))
          .append(" since ").append(onset);
    }
    if (contact) {
      summary.append(summary.isEmpty() ? "" : "; ").append("接触病例 contact with a case on ").append(contactDate);
    }
    events.publishEvent(new DeclarationMade(id, personId, grid.code(), grid.districtCode(), kind, level, summary.toString(), now));
    return new Declaration(id, personId, grid.code(), source, now, from, arrivedAt, transport, level, symptoms, onset, contact, contactDate,
        kind);
  }

  /** A resident's declarations for a person their account holds, newest first. */
  public List<Declaration> of(Actor resident, UUID personId) {
    persons.requireHeldBy(resident, personId);
    return jdbc.sql("""
            select id, person_id, grid_code, source, declared_at, from_region, arrived_at, transport, symptoms, onset_date, case_contact,
              contact_date from declarations where person_id = ? order by declared_at desc limit 100""")
        .param(personId)
        .query((rs, i) -> {
          OffsetDateTime arrived = rs.getObject(7, OffsetDateTime.class);
          String from = rs.getString(6);
          List<Symptom> symptoms = Arrays.stream((String[]) rs.getArray(9).getArray()).map(Symptom::valueOf).toList();
          boolean contact = rs.getBoolean(11);
          return new Declaration(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
              rs.getObject(5, OffsetDateTime.class).toInstant(), from, arrived == null ? null : arrived.toInstant(),
              rs.getString(8) == null ? null : Transport.valueOf(rs.getString(8)),
              from == null ? null : areas.levelAt(from, arrived.toInstant()), symptoms, rs.getObject(10, LocalDate.class), contact,
              rs.getObject(12, LocalDate.class), contact ? "CLOSE_CONTACT" : from != null ? "ARRIVAL" : "SYMPTOMS");
        })
        .list();
  }

  /** What the colour rules read about a person: one indexed query. */
  public Facts factsOf(UUID personId) {
    List<Arrival> arrivals = new ArrayList<>();
    List<Instant> fevers = new ArrayList<>();
    List<Instant> uploads = new ArrayList<>();
    jdbc.sql("""
            select d.declared_at, d.source, d.from_region, d.arrived_at, d.fever, d.onset_date, a.level, a.name
            from declarations d
            left join lateral (
              select r.level, r.name from risk_areas r
              where d.from_region is not null and d.from_region like r.prefix || '%' and r.valid_from <= d.arrived_at
                and (r.valid_to is null or r.valid_to > d.arrived_at)
              order by case r.level when 'HIGH' then 3 when 'MEDIUM' then 2 else 1 end desc limit 1) a on true
            where d.person_id = ?""")
        .param(personId)
        .query(rs -> {
          Instant declared = rs.getObject(1, OffsetDateTime.class).toInstant();
          if (rs.getString(3) != null) {
            arrivals.add(new Arrival(rs.getString(3), rs.getString(8), rs.getObject(4, OffsetDateTime.class).toInstant(),
                rs.getString(7) == null ? null : RiskLevel.valueOf(rs.getString(7))));
          }
          if (rs.getBoolean(5)) {
            LocalDate onset = rs.getObject(6, LocalDate.class);
            // a test taken since the fever began answers it, even one taken before the declaration
            Instant since = onset == null ? declared : onset.atStartOfDay(zone).toInstant();
            fevers.add(since.isBefore(declared) ? since : declared);
          }
          if ("GRID_WORKER".equals(rs.getString(2))) {
            uploads.add(declared);
          }
        });
    return new Facts(arrivals, fevers, uploads);
  }

  /**
   * A person's exposure as a fever clinic sees it at {@code at}: the highest level in force AT
   * THAT MOMENT of the regions they declared an arrival from within {@code window} before it, and
   * whether they declared a contact with a case in that window.
   */
  public record Exposure(RiskLevel level, String fromRegion, boolean caseContact) {
    public static final Exposure NONE = new Exposure(null, null, false);
  }

  public Exposure exposureAt(UUID personId, Instant at, Duration window) {
    OffsetDateTime to = at.atOffset(ZoneOffset.UTC);
    OffsetDateTime from = at.minus(window).atOffset(ZoneOffset.UTC);
    record Hit(RiskLevel level, String region) {}
    Hit hit = jdbc.sql("""
            select a.level, d.from_region from declarations d
            join lateral (
              select r.level from risk_areas r
              where d.from_region like r.prefix || '%' and r.valid_from <= :at and (r.valid_to is null or r.valid_to > :at)
              order by case r.level when 'HIGH' then 3 when 'MEDIUM' then 2 else 1 end desc limit 1) a on true
            where d.person_id = :p and d.from_region is not null and d.arrived_at between :from and :at
            order by case a.level when 'HIGH' then 3 when 'MEDIUM' then 2 else 1 end desc limit 1""")
        .param("at", to).param("p", personId).param("from", from)
        .query((rs, i) -> new Hit(RiskLevel.valueOf(rs.getString(1)), rs.getString(2))).optional().orElse(null);
    boolean contact = jdbc.sql("""
            select exists (select 1 from declarations where person_id = ? and case_contact and declared_at between ? and ?)""")
        .params(personId, from, to).query(Boolean.class).single();
    return new Exposure(hit == null ? null : hit.level(), hit == null ? null : hit.region(), contact);
  }

  /** A declared fever, for the early warning: where and when, no person. */
  public record DeclaredFever(String gridCode, String districtCode, Instant declaredAt) {}

  /** Declarations with a fever made in [from, to). */
  public List<DeclaredFever> feversDeclared(Instant from, Instant to) {
    return jdbc.sql("select grid_code, district_code, declared_at from declarations where fever and declared_at >= ? and declared_at < ?")
        .params(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new DeclaredFever(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant())).list();
  }

  /** The grid of each person's newest declaration (where they are followed up now); persons who never declared are left out. */
  public java.util.Map<UUID, String> gridsOf(java.util.Collection<UUID> personIds) {
    java.util.Map<UUID, String> out = new java.util.HashMap<>();
    if (personIds.isEmpty()) {
      return out;
    }
    jdbc.sql("""
            select distinct on (person_id) person_id, grid_code from declarations where person_id = any(?)
            order by person_id, declared_at desc""")
        .param(personIds.toArray(UUID[]::new))
        .query(rs -> {
          out.put(rs.getObject(1, UUID.class), rs.getString(2));
        });
    return out;
  }

  /** Persons who declared an arrival from a region inside the one a prefix stands for. */
  public List<UUID> personsArrivedFrom(String prefix) {
    return jdbc.sql("select distinct person_id from declarations where from_region like ? || '%'").param(prefix).query(UUID.class).list();
  }

  private static Instant instant(String field, String value) {
    ApiException.required(field, value);
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_TIMESTAMP", field, field + " must be a time with offset (ISO-8601)");
    }
  }

  private static LocalDate pastDate(String field, String value, LocalDate today) {
    LocalDate d = RiskAreas.date(field, value);
    if (d.isAfter(today) || d.isBefore(today.minusDays(60))) {
      throw ApiException.badRequest("INVALID_DATE", field, field + " must be within the last 60 days");
    }
    return d;
  }

  private static Transport transport(String value) {
    ApiException.required("transport", value);
    try {
      return Transport.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_TRANSPORT", "transport", "transport is one of " + List.of(Transport.values()));
    }
  }
}
