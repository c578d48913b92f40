package org.epiloop.sampling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.AppointmentCodes;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Idempotency;
import org.epiloop.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tubes and bindings. A binding scan is one short transaction: claim the idempotency key,
 * find the person, take the tube's row lock with a conditional update that also enforces
 * capacity, check the person's recent bindings, insert the binding, store the response.
 */
@Service
class Tubes {

  static final Set<Integer> CAPACITIES = Set.of(1, 5, 10, 20);
  static final Duration ROUND = Duration.ofHours(12);
  private static final Pattern TUBE_CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{3,31}");

  private final JdbcClient jdbc;
  private final Persons persons;
  private final AppointmentCodes appointments;
  private final Idempotency idempotency;
  private final AuditTrail audit;
  private final RecallCheck recalls;
  private final ApplicationEventPublisher events;
  private final Clock clock;

  Tubes(JdbcClient jdbc, Persons persons, AppointmentCodes appointments, Idempotency idempotency, AuditTrail audit,
      RecallCheck recalls, ApplicationEventPublisher events, Clock clock) {
    this.recalls = recalls;
    this.jdbc = jdbc;
    this.persons = persons;
    this.appointments = appointments;
    this.idempotency = idempotency;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
  }

  record TubeView(String tubeCode, int capacity, int count, TubeStatus status, String siteCode, Instant openedAt,
      Instant sealedAt, List<BindingItem> bindings) {}

  record BindingItem(UUID bindingId, int position, String nameMasked, String idMasked, Instant boundAt) {}

  record PersonRef(String nameMasked, String idMasked) {}

  record Bound(UUID bindingId, String tubeCode, int position, int capacity, int count, TubeStatus tubeStatus,
      PersonRef person, boolean repeat) {}

  /** Who to bind: an appointment code, or a document read on site. */
  record Subject(String appointmentCode, Persons.Document document) {}

  static String checkCode(String code) {
    if (code == null || !TUBE_CODE.matcher(code).matches()) {
      throw ApiException.badRequest("INVALID_TUBE_CODE", "tubeCode", "tubeCode must be 4–32 letters, digits or '-'");
    }
    return code;
  }

  @Transactional
  TubeView open(Actor collector, String tubeCode, Integer capacity) {
    checkCode(tubeCode);
    ApiException.required("capacity", capacity);
    if (!CAPACITIES.contains(capacity)) {
      throw ApiException.badRequest("INVALID_CAPACITY", "capacity", "capacity must be 1, 5, 10 or 20");
    }
    String site = requireCollectorSite(collector);
    Instant now = clock.instant();
    try {
      jdbc.sql("insert into tubes (code, site_code, capacity, status, opened_by, opened_at) values (?, ?, ?, 'OPEN', ?, ?)")
          .params(tubeCode, site, capacity, collector.name(), utc(now)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("TUBE_EXISTS", "Tube " + tubeCode + " was already opened; use a new tube");
    }
    return new TubeView(tubeCode, capacity, 0, TubeStatus.OPEN, site, now, null, List.of());
  }

  /**
   * One binding scan, two statements (three for a person already known: an open recall of theirs
   * is looked up). After the person is found (or registered), a single
   * statement claims the idempotency key (recording the new binding's id), takes the tube's
   * row lock with a conditional update that enforces capacity and seals the tube when it
   * fills, checks the person's current bindings, and inserts the binding with the count and
   * status it produced, from which a retry's response is rebuilt. Any refusal throws, which
   * rolls all of it back, claim included (see docs/adr/0005).
   */
  @Transactional
  Bound bind(Actor collector, String tubeCode, UUID key, byte[] fingerprint, Subject subject, boolean confirmRepeat) {
    requireCollectorSite(collector);
    Persons.Scanned scanned = subject.appointmentCode() != null
        ? appointments.resolve(subject.appointmentCode()).flatMap(persons::view).map(p -> new Persons.Scanned(p, false))
            .orElseThrow(() -> ApiException.notFound("APPOINTMENT_NOT_FOUND", "No valid appointment for this code; register by ID card instead"))
        : persons.scanned(collector, subject.document(), null);
    Persons.PersonView person = scanned.person();

    // a recalled person is retested singly: never into a pooled tube (the statement refuses it);
    // a person this scan registered has no result, so no recall, to look up
    boolean recalled = !scanned.registeredNow() && recalls.isRecalled(person.personId());
    Instant now = clock.instant();
    UUID bindingId = UUID.randomUUID();
    record Step(boolean claimed, Integer count, Integer position, Integer capacity, String status, boolean inTube,
        boolean recent, boolean inserted) {}
    Step step;
    try {
      step = jdbc.sql("""
              with k as (
                insert into idempotency_keys (key, actor, request_hash, created_at, status, ref)
                values (:key, :actor, :fp, :now, 201, :id)
                on conflict (key) do nothing returning key),
              t as (
                update tubes set bound_count = bound_count + 1, next_position = next_position + 1,
                  status = case when bound_count + 1 = capacity then 'SEALED' else status end,
                  sealed_at = case when bound_count + 1 = capacity then :now else sealed_at end
                where code = :tube and site_code = :site and status = 'OPEN' and exists (select 1 from k)
                returning bound_count, next_position, capacity, status),
              r as (
                select coalesce(bool_or(tube_code = :tube), false) as in_tube, coalesce(bool_or(bound_at > :since), false) as recent
                from bindings where person_id = :person and unbound_at is null),
              b as (
                insert into bindings (id, tube_code, person_id, position, site_code, bound_by, bound_at, repeat_confirmed,
                                      count_after, tube_status_after)
                select :id, :tube, :person, t.next_position, :site, :actor, :now, r.recent, t.bound_count, t.status from t, r
                where not r.in_tube and (:confirm or not r.recent) and not (:recalled and t.capacity > 1)
                returning id),
              s as (
                insert into site_sampling (site_code, bucket, shard, sampled, sealed)
                select :site, :bucket, :shard, 1, case when t.status = 'SEALED' then 1 else 0 end from t, b
                on conflict (site_code, bucket, shard) do update
                  set sampled = site_sampling.sampled + 1, sealed = site_sampling.sealed + excluded.sealed)
              select exists (select 1 from k), t.bound_count, t.next_position, t.capacity, t.status, r.in_tube, r.recent,
                     exists (select 1 from b)
              from r left join t on true""")
          .param("key", key).param("actor", collector.name()).param("fp", fingerprint).param("now", utc(now))
          .param("tube", tubeCode).param("site", collector.siteCode()).param("since", utc(now.minus(ROUND)))
          .param("person", person.personId()).param("id", bindingId).param("confirm", confirmRepeat)
          .param("recalled", recalled)
          .param("bucket", utc(SiteSampling.bucket(now))).param("shard", SiteSampling.shard(tubeCode))
          .query((rs, i) -> new Step(rs.getBoolean(1), (Integer) rs.getObject(2), (Integer) rs.getObject(3),
              (Integer) rs.getObject(4), rs.getString(5), rs.getBoolean(6), rs.getBoolean(7), rs.getBoolean(8)))
          .single();
    } catch (DuplicateKeyException e) {
      // a concurrent scan of the same person into the same tube committed first
      throw ApiException.conflict("ALREADY_IN_TUBE", "This person is already in tube " + tubeCode);
    }
    if (!step.claimed()) {
      // a retry: the same response again, rebuilt from the binding the first scan made
      return replayOf(idempotency.replay(key, fingerprint).ref());
    }
    if (step.count() == null) {
      throw whyNotBindable(collector, tubeCode);
    }
    if (step.inTube()) {
      throw ApiException.conflict("ALREADY_IN_TUBE", "This person is already in tube " + tubeCode);
    }
    if (!step.inserted() && recalled && step.capacity() > 1) {
      throw ApiException.conflict("PERSON_RECALLED",
          "This person is recalled for a single-tube retest; bind them into a new tube of capacity 1 (with confirmRepeat)");
    }
    if (!step.inserted()) {
      throw ApiException.conflict("SAMPLED_IN_ROUND",
          "This person was sampled in the last 12 hours; scan again with confirmRepeat to sample anyway");
    }
    TubeStatus status = TubeStatus.valueOf(step.status());
    Bound bound = new Bound(bindingId, tubeCode, step.position(), step.capacity(), step.count(), status,
        new PersonRef(person.nameMasked(), person.idMasked()), step.recent());
    if (status == TubeStatus.SEALED) {
      events.publishEvent(new TubeSealed(tubeCode, collector.siteCode(), step.count(), now));
    }
    return bound;
  }

  /** The response of an earlier scan, rebuilt from its binding (which keeps the count and status it produced). */
  private Bound replayOf(UUID bindingId) {
    record Row(UUID id, String tube, int position, int capacity, int countAfter, TubeStatus statusAfter, boolean repeat, UUID person) {}
    Row r = jdbc.sql("""
            select b.id, b.tube_code, b.position, t.capacity, b.count_after, b.tube_status_after, b.repeat_confirmed, b.person_id
            from bindings b join tubes t on t.code = b.tube_code where b.id = ?""")
        .param(bindingId)
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
            TubeStatus.valueOf(rs.getString(6)), rs.getBoolean(7), rs.getObject(8, UUID.class)))
        .single();
    Persons.PersonView p = persons.view(r.person()).orElseThrow();
    return new Bound(r.id(), r.tube(), r.position(), r.capacity(), r.countAfter(), r.statusAfter(),
        new PersonRef(p.nameMasked(), p.idMasked()), r.repeat());
  }

  @Transactional
  void unbind(Actor collector, String tubeCode, UUID bindingId, String reason) {
    String why = ApiException.required("reason", reason);
    if (why.length() > 200) {
      throw ApiException.badRequest("INVALID_REASON", "reason", "reason must be at most 200 characters");
    }
    requireCollectorSite(collector);
    lockOpenTube(collector, tubeCode);
    record Removed(UUID person, Instant boundAt) {}
    Optional<Removed> removed = jdbc.sql("""
            update bindings set unbound_at = ?, unbound_by = ?, unbind_reason = ?
            where id = ? and tube_code = ? and unbound_at is null returning person_id, bound_at""")
        .params(utc(clock.instant()), collector.name(), why, bindingId, tubeCode)
        .query((rs, i) -> new Removed(rs.getObject(1, UUID.class), rs.getObject(2, OffsetDateTime.class).toInstant())).optional();
    if (removed.isEmpty()) {
      throw ApiException.notFound("BINDING_NOT_FOUND", "No current binding " + bindingId + " in tube " + tubeCode);
    }
    Optional<UUID> person = removed.map(Removed::person);
    jdbc.sql("update tubes set bound_count = bound_count - 1 where code = ?").param(tubeCode).update();
    // the row the binding counted in; for a binding counted before the counter had shards (V32,
    // in row 0) the -1 in its tube's row keeps the sum of the site's bucket right all the same
    jdbc.sql("""
            insert into site_sampling (site_code, bucket, shard, sampled) values (?, ?, ?, -1)
            on conflict (site_code, bucket, shard) do update set sampled = site_sampling.sampled - 1""")
        .params(collector.siteCode(), utc(SiteSampling.bucket(removed.get().boundAt())), SiteSampling.shard(tubeCode)).update();
    audit.record(collector, "BINDING_REMOVED", "tube", tubeCode,
        "binding " + bindingId + " of person " + person.get() + ": " + why);
  }

  record Sealed(String tubeCode, TubeStatus status, int count) {}

  @Transactional
  Sealed seal(Actor collector, String tubeCode) {
    requireCollectorSite(collector);
    Instant now = clock.instant();
    Optional<Integer> sealed = jdbc.sql("""
            update tubes set status = 'SEALED', sealed_at = ?
            where code = ? and site_code = ? and status = 'OPEN' and bound_count > 0 returning bound_count""")
        .params(utc(now), tubeCode, collector.siteCode()).query(Integer.class).optional();
    if (sealed.isPresent()) {
      jdbc.sql("""
              insert into site_sampling (site_code, bucket, shard, sealed) values (?, ?, ?, 1)
              on conflict (site_code, bucket, shard) do update set sealed = site_sampling.sealed + 1""")
          .params(collector.siteCode(), utc(SiteSampling.bucket(now)), SiteSampling.shard(tubeCode)).update();
      events.publishEvent(new TubeSealed(tubeCode, collector.siteCode(), sealed.get(), now));
      return new Sealed(tubeCode, TubeStatus.SEALED, sealed.get());
    }
    record Row(String site, TubeStatus status, int count) {}
    Row row = jdbc.sql("select site_code, status, bound_count from tubes where code = ?").param(tubeCode)
        .query((rs, i) -> new Row(rs.getString(1), TubeStatus.valueOf(rs.getString(2)), rs.getInt(3))).optional()
        .orElseThrow(() -> tubeNotFound(tubeCode));
    collector.requireSite(row.site());
    if (row.status() == TubeStatus.SEALED) {
      return new Sealed(tubeCode, TubeStatus.SEALED, row.count());
    }
    throw ApiException.conflict("TUBE_EMPTY", "Tube " + tubeCode + " has nobody in it; bind a person or use it later");
  }

  @Transactional
  TubeView get(Actor actor, String tubeCode) {
    record Row(String site, int capacity, int count, TubeStatus status, OffsetDateTime openedAt, OffsetDateTime sealedAt) {}
    Row row = jdbc.sql("select site_code, capacity, bound_count, status, opened_at, sealed_at from tubes where code = ?")
        .param(tubeCode)
        .query((rs, i) -> new Row(rs.getString(1), rs.getInt(2), rs.getInt(3), TubeStatus.valueOf(rs.getString(4)),
            rs.getObject(5, OffsetDateTime.class), rs.getObject(6, OffsetDateTime.class)))
        .optional().orElseThrow(() -> tubeNotFound(tubeCode));
    actor.requireSite(row.site());
    record Row2(UUID id, int position, UUID person, Instant at) {}
    List<Row2> rows = jdbc.sql("""
            select id, position, person_id, bound_at from bindings where tube_code = ? and unbound_at is null order by position""")
        .param(tubeCode)
        .query((rs, i) -> new Row2(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, UUID.class),
            rs.getObject(4, OffsetDateTime.class).toInstant()))
        .list();
    var people = persons.views(rows.stream().map(Row2::person).toList());
    List<BindingItem> items = rows.stream()
        .map(r -> new BindingItem(r.id(), r.position(), people.get(r.person()).nameMasked(), people.get(r.person()).idMasked(), r.at()))
        .toList();
    if (!items.isEmpty()) {
      audit.record(actor, "TUBE_MEMBERS_READ", "tube", tubeCode, items.size() + " members (masked)");
    }
    return new TubeView(tubeCode, row.capacity(), row.count(), row.status(), row.site(), row.openedAt().toInstant(),
        row.sealedAt() == null ? null : row.sealedAt().toInstant(), items);
  }

  record OpenTube(String tubeCode, int capacity, int count, Instant openedAt) {}

  @Transactional(readOnly = true)
  List<OpenTube> openTubes(Actor collector) {
    String site = requireCollectorSite(collector);
    return jdbc.sql("select code, capacity, bound_count, opened_at from tubes where site_code = ? and status = 'OPEN' order by opened_at desc limit 50")
        .param(site)
        .query((rs, i) -> new OpenTube(rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getObject(4, OffsetDateTime.class).toInstant()))
        .list();
  }

  private void lockOpenTube(Actor collector, String tubeCode) {
    record Row(String site, TubeStatus status) {}
    Row row = jdbc.sql("select site_code, status from tubes where code = ? for update").param(tubeCode)
        .query((rs, i) -> new Row(rs.getString(1), TubeStatus.valueOf(rs.getString(2)))).optional()
        .orElseThrow(() -> tubeNotFound(tubeCode));
    collector.requireSite(row.site());
    if (row.status() != TubeStatus.OPEN) {
      throw ApiException.conflict("TUBE_SEALED", "Tube " + tubeCode + " is sealed; its members can no longer change");
    }
  }

  private ApiException whyNotBindable(Actor collector, String tubeCode) {
    record Row(String site, TubeStatus status) {}
    Optional<Row> row = jdbc.sql("select site_code, status from tubes where code = ?").param(tubeCode)
        .query((rs, i) -> new Row(rs.getString(1), TubeStatus.valueOf(rs.getString(2)))).optional();
    if (row.isEmpty()) {
      return tubeNotFound(tubeCode);
    }
    if (!row.get().site().equals(collector.siteCode())) {
      return ApiException.outOfScope("Tube " + tubeCode + " belongs to another site");
    }
    return ApiException.conflict("TUBE_SEALED", "Tube " + tubeCode + " is sealed; open a new tube");
  }

  private static String requireCollectorSite(Actor actor) {
    if (actor.role() != Role.COLLECTOR || actor.siteCode() == null) {
      throw ApiException.outOfScope("Only a collector bound to a site may do this");
    }
    return actor.siteCode();
  }

  private static ApiException tubeNotFound(String tubeCode) {
    return ApiException.notFound("TUBE_NOT_FOUND", "No tube " + tubeCode + "; open it first");
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
