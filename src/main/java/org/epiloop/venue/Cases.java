package org.epiloop.venue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.IdNumbers;
import org.epiloop.identity.IdType;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Csv;
import org.epiloop.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Confirmed cases and their contacts (V3, V4). Confirming a case finds its contacts with one
 * set-based statement per level, straight from the check-ins into the tracing list:
 *
 * <ul>
 *   <li><b>close</b>: everyone else who checked in at a venue within the contact window (either
 *       way) of one of the case's check-ins in the lookback before confirmation;
 *   <li><b>secondary</b>: everyone else, not already close, who checked in at a venue within
 *       the window of a close contact's check-in there that happened in the lookback at or
 *       after the close contact's exposure.
 * </ul>
 *
 * Each person is listed once per case, at their earliest matching check-in; close wins over
 * secondary. Window bounds are inclusive.
 */
@Service
class Cases {

  /** A confirmation time this far ahead of the clock is still accepted (clocks of other systems drift). */
  static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
  /** Older confirmations are refused: their contacts' check-ins would be long gone from any lookback. */
  static final Duration OLDEST = Duration.ofDays(365);
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  /**
   * Close contacts: the case's check-ins in the lookback, joined to everyone's check-ins at
   * the same venue within the window (index {@code check_ins (venue_code, at)}).
   */
  static final String CLOSE_SQL = """
      insert into case_contacts (case_id, person_id, level, exposed_at, venue_code)
      select distinct on (o.person_id) :caseId, o.person_id, 'CLOSE', o.at, o.venue_code
      from check_ins c
      join check_ins o on o.venue_code = c.venue_code
        and o.at between c.at - make_interval(secs => :window) and c.at + make_interval(secs => :window)
      where c.person_id = :person and c.at between :from and :confirmed
        and o.person_id <> :person
      order by o.person_id, o.at, o.venue_code""";

  /**
   * Secondary contacts: each close contact's check-ins in the lookback at or after their
   * exposure, joined to everyone's check-ins at the same venue within the window; not the
   * case and nobody already listed for the case (the close contacts). Each person's earliest
   * meeting is picked first and the close contacts are removed afterwards (the same rows, as
   * both depend on the person only): one hash anti-join over the persons instead of one index
   * probe per joined check-in, millions for a large case.
   */
  static final String SECONDARY_SQL = """
      insert into case_contacts (case_id, person_id, level, exposed_at, venue_code)
      select :caseId, d.person_id, 'SECONDARY', d.at, d.venue_code
      from (select distinct on (o.person_id) o.person_id, o.at, o.venue_code
            from case_contacts k
            join check_ins ck on ck.person_id = k.person_id
              and ck.at >= k.exposed_at and ck.at between :from and :confirmed
            join check_ins o on o.venue_code = ck.venue_code
              and o.at between ck.at - make_interval(secs => :window) and ck.at + make_interval(secs => :window)
            where k.case_id = :caseId and k.level = 'CLOSE'
              and o.person_id <> :person
            order by o.person_id, o.at, o.venue_code) d
      where not exists (select 1 from case_contacts x where x.case_id = :caseId and x.person_id = d.person_id)""";

  private final JdbcClient jdbc;
  private final Persons persons;
  private final AuditTrail audit;
  private final ApplicationEventPublisher events;
  private final VenueProperties properties;
  private final Clock clock;

  Cases(JdbcClient jdbc, Persons persons, AuditTrail audit, ApplicationEventPublisher events, VenueProperties properties,
      Clock clock) {
    this.jdbc = jdbc;
    this.persons = persons;
    this.audit = audit;
    this.events = events;
    this.properties = properties;
    this.clock = clock;
  }

  /** A confirmed case with the number of contacts found. */
  record Confirmed(UUID caseId, Instant confirmedAt, int contacts, int closeContacts, int secondaryContacts) {}

  /**
   * Confirms the person with this document as a case, finds and stores their contacts, and
   * publishes {@link CaseConfirmed} and {@link ContactsFound} — all in one transaction.
   */
  @Transactional
  Confirmed confirm(Actor official, String idType, String idNumber, String confirmedAt) {
    requireOfficial(official);
    IdType type = IdNumbers.type("idType", idType);
    String number = IdNumbers.normalize(type, "idNumber", idNumber, LocalDate.now(clock.withZone(CHINA)));
    Instant now = clock.instant();
    Instant confirmed = parseConfirmedAt(confirmedAt, now);
    UUID person = persons.findByDocument(type, number)
        .orElseThrow(() -> ApiException.notFound("PERSON_NOT_FOUND", "No person is registered with this document"));
    UUID caseId = UUID.randomUUID();
    int inserted = jdbc.sql("""
            insert into cases (id, person_id, confirmed_at, confirmed_by, created_at) values (?, ?, ?, ?, ?)
            on conflict (person_id) do nothing""")
        .params(caseId, person, utc(confirmed), official.name(), utc(now)).update();
    if (inserted == 0) {
      throw ApiException.conflict("CASE_EXISTS", "This person is already a confirmed case");
    }
    Map<String, Object> params = Map.of("caseId", caseId, "person", person, "window",
        (double) properties.contactWindow().toSeconds(), "from", utc(confirmed.minus(properties.lookback())),
        "confirmed", utc(confirmed));
    // the sorts of a large case (hundreds of thousands of contacts) stay in memory up to this
    jdbc.sql("set local work_mem = '64MB'").update();
    int close = jdbc.sql(CLOSE_SQL).params(params).update();
    int secondary = close == 0 ? 0 : jdbc.sql(SECONDARY_SQL).params(params).update();
    jdbc.sql("update cases set close_contacts = ?, secondary_contacts = ? where id = ?")
        .params(close, secondary, caseId).update();
    audit.record(official, "CASE_CONFIRMED", "case", caseId.toString(),
        "person " + person + "; " + close + " close and " + secondary + " secondary contacts");
    events.publishEvent(new CaseConfirmed(caseId, person, confirmed));
    events.publishEvent(new ContactsFound(caseId, confirmed, close, secondary));
    return new Confirmed(caseId, confirmed, close + secondary, close, secondary);
  }

  /** A case as officials see it. */
  record CaseView(UUID caseId, Instant confirmedAt, String confirmedBy, Instant createdAt, int contacts, int closeContacts,
      int secondaryContacts) {}

  CaseView view(Actor official, UUID caseId) {
    requireOfficial(official);
    return jdbc.sql("""
            select id, confirmed_at, confirmed_by, created_at, close_contacts, secondary_contacts from cases where id = ?""")
        .param(caseId)
        .query((rs, i) -> new CaseView(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant(),
            rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getInt(5) + rs.getInt(6), rs.getInt(5),
            rs.getInt(6)))
        .optional()
        .orElseThrow(() -> ApiException.notFound("CASE_NOT_FOUND", "No case " + caseId));
  }

  /** One line of a case's tracing list: masked; reached says when and by whom a tracer reached the contact. */
  record ContactLine(UUID personId, String nameMasked, String phoneMasked, String venueCode, String venueName, Instant at,
      String level, Instant reachedAt, String reachedBy) {}

  /** A case's tracing list, close contacts first, each level by exposure time; audited as one read of personal data. */
  @Transactional
  List<ContactLine> contacts(Actor official, UUID caseId) {
    return contacts(official, caseId, null, Integer.MAX_VALUE).lines();
  }

  /** A page of a tracing list and the cursor of the next page (null on the last). */
  record ContactPage(List<ContactLine> lines, String next) {}

  /** Most lines a page may ask for. */
  static final int MAX_PAGE = 10_000;

  /**
   * A page of the tracing list, in the same order as the whole list: at most {@code limit}
   * lines after the cursor {@code after} (null: from the start); the caller has checked that {@code limit} is 1 or more. The cursor is opaque to
   * clients: the sort key (level, exposure time, person) of the last line handed out.
   */
  @Transactional
  ContactPage contacts(Actor official, UUID caseId, String after, int limit) {
    requireOfficial(official);
    ContactPage page = read(caseId, after, limit);
    audit.record(official, "PERSON_READ", "case", caseId.toString(), "contact tracing list: " + page.lines().size() + " persons"
        + (after == null && page.next() == null ? "" : " (a page)"));
    return page;
  }

  /** A page of the tracing list, not audited: the callers record what they do with it. */
  private ContactPage read(UUID caseId, String after, int limit) {
    Cursor from = after == null ? null : Cursor.parse(after);
    boolean exists = jdbc.sql("select exists (select 1 from cases where id = ?)").param(caseId).query(Boolean.class).single();
    if (!exists) {
      throw ApiException.notFound("CASE_NOT_FOUND", "No case " + caseId);
    }
    record Row(UUID personId, String venueCode, String venueName, Instant at, String level, Instant reachedAt,
        String reachedBy) {}
    String sql = """
        select c.person_id, c.venue_code, v.name, c.exposed_at, c.level, r.reached_at, r.reached_by
        from case_contacts c join venues v on v.code = c.venue_code
        left join contact_reaches r on r.case_id = c.case_id and r.person_id = c.person_id
        where c.case_id = :case %s order by c.level, c.exposed_at, c.person_id %s""".formatted(
        from == null ? "" : "and (c.level, c.exposed_at, c.person_id) > (:level, :at, :person)",
        limit == Integer.MAX_VALUE ? "" : "limit :limit");
    var query = jdbc.sql(sql).param("case", caseId);
    if (from != null) {
      query = query.param("level", from.level()).param("at", from.at().atOffset(ZoneOffset.UTC)).param("person", from.personId());
    }
    if (limit != Integer.MAX_VALUE) {
      query = query.param("limit", limit + 1); // one more tells whether there is a next page
    }
    List<Row> rows = query.query((rs, i) -> {
      OffsetDateTime reached = rs.getObject(6, OffsetDateTime.class);
      return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
          rs.getString(5), reached == null ? null : reached.toInstant(), rs.getString(7));
    }).list();
    boolean more = rows.size() > limit;
    if (more) {
      rows = rows.subList(0, limit);
    }
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(Row::personId).toList());
    List<ContactLine> lines = rows.stream().map(r -> {
      Persons.PersonView p = views.get(r.personId());
      return new ContactLine(r.personId(), p == null ? "" : p.nameMasked(), p == null ? "" : p.phoneMasked(), r.venueCode(),
          r.venueName(), r.at(), r.level(), r.reachedAt(), r.reachedBy());
    }).toList();
    Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
    return new ContactPage(lines, more ? new Cursor(last.level(), last.at(), last.personId()).encode() : null);
  }

  /** Where a page of a tracing list ends. */
  record Cursor(String level, Instant at, UUID personId) {

    String encode() {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString((level + "|" + at + "|" + personId).getBytes(StandardCharsets.UTF_8));
    }

    static Cursor parse(String text) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8)
            .split("\\|");
        if (parts.length != 3 || !(parts[0].equals("CLOSE") || parts[0].equals("SECONDARY"))) {
          throw new IllegalArgumentException(text);
        }
        return new Cursor(parts[0], Instant.parse(parts[1]), UUID.fromString(parts[2]));
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw ApiException.badRequest("INVALID_CURSOR", "after", "after must be a cursor from a Link header of this list");
      }
    }
  }

  /** Columns of the exported tracing list: masked, as on the screen. */
  static final String CSV_HEADER = "level,name_masked,phone_masked,venue_code,venue_name,exposed_at,reached_at,reached_by\n";

  /** The whole tracing list as CSV (masked; times in the city's zone); audited as an export. */
  @Transactional
  String exportCsv(Actor official, UUID caseId) {
    ZoneId zone = CHINA;
    requireOfficial(official);
    List<ContactLine> lines = read(caseId, null, Integer.MAX_VALUE).lines();
    StringBuilder csv = new StringBuilder(CSV_HEADER);
    for (ContactLine l : lines) {
      csv.append(l.level()).append(',').append(Csv.cell(l.nameMasked())).append(',').append(Csv.cell(l.phoneMasked())).append(',')
          .append(Csv.cell(l.venueCode())).append(',').append(Csv.cell(l.venueName())).append(',')
          .append(l.at().atZone(zone).toOffsetDateTime()).append(',')
          .append(l.reachedAt() == null ? "" : l.reachedAt().atZone(zone).toOffsetDateTime().toString()).append(',')
          .append(Csv.cell(l.reachedBy())).append('\n');
    }
    audit.record(official, "CONTACTS_EXPORTED", "case", caseId.toString(), "tracing list as CSV: " + lines.size() + " persons");
    return csv.toString();
  }

  /** A tracer reached a contact: the first reach is kept, later ones answer with it. */
  record Reach(UUID caseId, UUID personId, Instant reachedAt, String reachedBy, String note) {}

  /** Longest note on a reach. */
  static final int MAX_NOTE = 500;

  /** Marks a contact of the case as reached (who, when, an optional note); audited. Idempotent. */
  @Transactional
  Reach reach(Actor official, UUID caseId, UUID personId, String note) {
    requireOfficial(official);
    String text = note == null || note.isBlank() ? null : note.strip();
    if (text != null && (text.length() > MAX_NOTE || text.codePoints().anyMatch(c -> Character.isISOControl(c) && c != '\n'))) {
      throw ApiException.badRequest("INVALID_NOTE", "note", "note must be at most " + MAX_NOTE + " printable characters");
    }
    boolean listed = jdbc.sql("select exists (select 1 from case_contacts where case_id = ? and person_id = ?)")
        .params(caseId, personId).query(Boolean.class).single();
    if (!listed) {
      view(official, caseId); // 404 CASE_NOT_FOUND for an unknown case
      throw ApiException.notFound("CONTACT_NOT_FOUND", "This person is not on the case's tracing list");
    }
    int inserted = jdbc.sql("""
            insert into contact_reaches (case_id, person_id, reached_at, reached_by, note) values (?, ?, ?, ?, ?)
            on conflict (case_id, person_id) do nothing""")
        .params(caseId, personId, utc(clock.instant()), official.name(), text).update();
    if (inserted == 1) {
      audit.record(official, "CONTACT_REACHED", "case", caseId.toString(), "contact " + personId + (text == null ? "" : ": " + text));
    }
    return jdbc.sql("select reached_at, reached_by, note from contact_reaches where case_id = ? and person_id = ?")
        .params(caseId, personId)
        .query((rs, i) -> new Reach(caseId, personId, rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2),
            rs.getString(3)))
        .single();
  }

  /** A case in the officials' list: whose (masked), when, and how far tracing got. */
  record CaseLine(UUID caseId, String nameMasked, String idMasked, Instant confirmedAt, String confirmedBy, Instant createdAt,
      int contacts, int closeContacts, int secondaryContacts, int reached) {}

  /** A page of the case list and the cursor of the next page (null on the last). */
  record CasePage(List<CaseLine> cases, String next) {}

  /** Cases, newest first, {@code limit} after the cursor {@code after}; audited as a read of personal data. */
  @Transactional
  CasePage list(Actor official, String after, int limit) {
    requireOfficial(official);
    Instant afterAt = null;
    UUID afterId = null;
    if (after != null) {
      try {
        String[] parts = new String(Base64.getUrlDecoder().decode(after.strip()), StandardCharsets.UTF_8).split("\\|");
        afterAt = Instant.parse(parts[0]);
        afterId = UUID.fromString(parts[1]);
      } catch (IllegalArgumentException | DateTimeParseException | ArrayIndexOutOfBoundsException e) {
        throw ApiException.badRequest("INVALID_CURSOR", "after", "after must be a cursor from a Link header of this list");
      }
    }
    record Row(UUID id, UUID person, Instant confirmedAt, String by, Instant createdAt, int close, int secondary, int reached) {}
    var query = jdbc.sql("""
            select c.id, c.person_id, c.confirmed_at, c.confirmed_by, c.created_at, c.close_contacts, c.secondary_contacts,
                   (select count(*) from contact_reaches r where r.case_id = c.id)
            from cases c %s order by c.created_at desc, c.id desc limit :limit""".formatted(
            afterAt == null ? "" : "where (c.created_at, c.id) < (:at, :id)"))
        .param("limit", limit + 1);
    if (afterAt != null) {
      query = query.param("at", utc(afterAt)).param("id", afterId);
    }
    List<Row> rows = query.query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
        rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant(),
        rs.getInt(6), rs.getInt(7), rs.getInt(8))).list();
    boolean more = rows.size() > limit;
    if (more) {
      rows = rows.subList(0, limit);
    }
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(Row::person).toList());
    audit.record(official, "PERSON_READ", "cases", "list", "case list: " + rows.size() + " cases");
    List<CaseLine> lines = rows.stream().map(r -> {
      Persons.PersonView p = views.get(r.person());
      return new CaseLine(r.id(), p == null ? "" : p.nameMasked(), p == null ? "" : p.idMasked(), r.confirmedAt(), r.by(),
          r.createdAt(), r.close() + r.secondary(), r.close(), r.secondary(), r.reached());
    }).toList();
    Row last = more ? rows.get(rows.size() - 1) : null;
    return new CasePage(lines, last == null ? null : Base64.getUrlEncoder().withoutPadding()
        .encodeToString((last.createdAt() + "|" + last.id()).getBytes(StandardCharsets.UTF_8)));
  }

  /** One exposure of a person: where and when they met a case or a close contact. */
  record Exposure(String venueCode, String venueName, Instant at, String level) {}

  /** The exposures of a person on the resident's account, over all cases, newest first (密接自查). */
  List<Exposure> exposures(Actor resident, UUID personId) {
    persons.requireHeldBy(resident, personId);
    return jdbc.sql("""
            select c.venue_code, v.name, c.exposed_at, c.level
            from case_contacts c join venues v on v.code = c.venue_code
            where c.person_id = ? order by c.exposed_at desc, c.level limit 500""")
        .param(personId)
        .query((rs, i) -> new Exposure(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
            rs.getString(4)))
        .list();
  }

  static Instant parseConfirmedAt(String raw, Instant now) {
    String value = ApiException.required("confirmedAt", raw);
    Instant at;
    try {
      at = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_TIMESTAMP", "confirmedAt",
          "confirmedAt must be an ISO-8601 timestamp with offset, such as 2022-04-01T09:30:00+08:00");
    }
    if (at.isAfter(now.plus(FUTURE_TOLERANCE))) {
      throw ApiException.badRequest("CONFIRMED_AT_IN_FUTURE", "confirmedAt", "confirmedAt lies in the future");
    }
    if (at.isBefore(now.minus(OLDEST))) {
      throw ApiException.badRequest("INVALID_TIMESTAMP", "confirmedAt", "confirmedAt must lie within the last year");
    }
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  private static void requireOfficial(Actor actor) {
    if (actor.role() != Role.OFFICIAL) {
      throw ApiException.outOfScope("Only health officials handle cases");
    }
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
