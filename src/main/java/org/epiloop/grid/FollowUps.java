package org.epiloop.grid;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.alerts.Alerts;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.monitoring.DeclarationMade;
import org.epiloop.monitoring.RiskLevel;
import org.epiloop.monitoring.Symptom;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.FreeText;
import org.epiloop.shared.Role;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Follow-up tasks of the grid workers. A task belongs to a grid: every worker assigned to that
 * grid sees and works it, no one else (403 {@code OUT_OF_SCOPE}); officials see any grid.
 */
@Service
@EnableConfigurationProperties(GridProperties.class)
class FollowUps {

  /** A body temperature at or above this is a fever in the diary. */
  static final BigDecimal FEVER = new BigDecimal("37.3");

  /** A task as the task list shows it; the name and phone masked. */
  record Task(UUID taskId, String gridCode, String districtCode, TaskKind kind, String status, String nameMasked, String phoneMasked,
      @FreeText String detail, Instant createdAt, Instant dueAt, boolean overdue, Instant escalatedAt, LocalDate observeUntil,
      int diaryDays, Instant doneAt, String doneBy, UUID declarationId) {}

  /** A recorded visit or call. */
  record Contact(String method, boolean reached, @FreeText String note, String by, Instant at) {}

  /** A diary entry. */
  record Entry(LocalDate day, BigDecimal temperature, List<Symptom> symptoms, boolean fever, String enteredBy, Instant enteredAt) {}

  /** One task opened for work: the phone to call in clear (an audited read), its visits and calls, its diary. */
  record TaskDetail(Task task, String phone, List<Contact> contacts, List<Entry> diary) {}

  /** A person's home observation as their account sees it. */
  record Observation(boolean active, UUID taskId, LocalDate observeUntil, List<Entry> diary) {}

  private final JdbcClient jdbc;
  private final org.epiloop.results.Recalls recalls;
  private final org.epiloop.monitoring.Declarations declarations;
  private final Directory directory;
  private final Persons persons;
  private final Alerts alerts;
  private final AuditTrail audit;
  private final GridProperties properties;
  private final Clock clock;
  private final ZoneId zone;

  FollowUps(JdbcClient jdbc, org.epiloop.results.Recalls recalls, org.epiloop.monitoring.Declarations declarations, Directory directory,
      Persons persons, Alerts alerts, AuditTrail audit, GridProperties properties, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.recalls = recalls;
    this.declarations = declarations;
    this.directory = directory;
    this.persons = persons;
    this.alerts = alerts;
    this.audit = audit;
    this.properties = properties;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  /** The task a declaration calls for; a redelivered event makes none twice (declaration_id is unique). */
  @Transactional
  void open(DeclarationMade d) {
    TaskKind kind = switch (d.kind()) {
      case "CLOSE_CONTACT" -> TaskKind.CLOSE_CONTACT;
      case "ARRIVAL" -> TaskKind.ARRIVAL;
      default -> TaskKind.DECLARATION;
    };
    Duration due = switch (kind) {
      case CLOSE_CONTACT -> properties.contactDue();
      case ARRIVAL -> d.riskLevel() == RiskLevel.HIGH ? properties.highRiskArrivalDue() : properties.arrivalDue();
      default -> properties.declarationDue();
    };
    jdbc.sql("""
            insert into follow_up_tasks (id, grid_code, district_code, person_id, kind, status, declaration_id, detail, created_at, due_at)
            values (?, ?, ?, ?, ?, 'OPEN', ?, ?, ?, ?) on conflict (declaration_id) do nothing""")
        .params(UUID.randomUUID(), d.gridCode(), d.districtCode(), d.personId(), kind.name(), d.declarationId(), d.summary(),
            utc(d.declaredAt()), utc(d.declaredAt().plus(due)))
        .update();
  }

  /**
   * A recall past its limit without a retest (ADR 0018) becomes a task, once per recall
   * ({@code recall_binding_id} is unique): in the grid of the person's newest declaration (where
   * they are followed up now), else in the first grid of their registered district (or, for a
   * walk-in who registered none, of the recalling site's district); a district without grids gets none (the site's RECALL_OVERDUE alert still stands). ADR 0032.
   */
  @Transactional
  int openOverdueRecalls() {
    List<org.epiloop.results.Recalls.OverdueRecall> overdue = recalls.overdue(500);
    if (overdue.isEmpty()) {
      return 0;
    }
    List<UUID> ids = overdue.stream().map(org.epiloop.results.Recalls.OverdueRecall::personId).distinct().toList();
    Map<UUID, String> declared = declarations.gridsOf(ids);
    Map<UUID, Persons.PersonView> views = persons.views(ids);
    Map<String, java.util.Optional<String>> firstGrid = new java.util.HashMap<>();
    Instant now = clock.instant();
    int made = 0;
    for (var r : overdue) {
      String grid = declared.get(r.personId());
      Persons.PersonView v = views.get(r.personId());
      // where they live when they registered a district (residents do), else the recalling site's district (walk-ins register none)
      String home = v != null && v.districtCode() != null ? v.districtCode()
          : directory.site(r.siteCode()).map(Directory.Site::districtCode).orElse(null);
      if (grid == null && home != null) {
        grid = firstGrid.computeIfAbsent(home, d -> directory.grids(d).stream().map(Directory.Grid::code).findFirst()).orElse(null);
      }
      if (grid == null) {
        continue;
      }
      String district = directory.grid(grid).map(Directory.Grid::districtCode).orElse(null);
      made += jdbc.sql("""
              insert into follow_up_tasks (id, grid_code, district_code, person_id, kind, status, recall_binding_id, detail, created_at, due_at)
              values (?, ?, ?, ?, 'OVERDUE_RECALL', 'OPEN', ?, ?, ?, ?) on conflict (recall_binding_id) do nothing""")
          .params(UUID.randomUUID(), grid, district, r.personId(), r.bindingId(),
              "复检逾期 recall overdue: " + r.reason() + " at site " + r.siteCode() + " since "
                  + r.since().atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES) + ", not retested by "
                  + r.dueAt().atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES),
              utc(now), utc(now.plus(properties.recallDue())))
          .update();
    }
    return made;
  }

  /**
   * The tasks of a grid, or of all the worker's grids when {@code gridCode} is null (officials
   * must name a grid or a district); open ones by due time, or those done in the last 7 days.
   */
  List<Task> list(Actor actor, String gridCode, String districtCode, boolean done) {
    List<String> grids;
    if (actor.role() == Role.GRID_WORKER) {
      grids = directory.gridsOf(actor.name());
      if (gridCode != null) {
        requireScope(actor, gridCode);
        grids = List.of(gridCode);
      }
    } else if (gridCode != null) {
      grids = List.of(gridCode);
    } else if (districtCode != null) {
      grids = directory.grids(districtCode).stream().map(Directory.Grid::code).toList();
    } else {
      throw ApiException.badRequest("FIELD_REQUIRED", "gridCode", "Choose a grid or a district");
    }
    Instant now = clock.instant();
    List<Row> rows = jdbc.sql(SELECT + """
             where t.grid_code = any(?) and (case when ? then t.status = 'DONE' and t.done_at > ? else t.status = 'OPEN' end)
            order by t.due_at limit 500""")
        .params(grids.toArray(String[]::new), done, utc(now.minus(Duration.ofDays(7))))
        .query((rs, i) -> task(rs, now)).list();
    Map<UUID, Persons.PersonView> views = persons.views(rows.stream().map(Row::personId).distinct().toList());
    return rows.stream().map(r -> masked(r.task(), views.get(r.personId()))).toList();
  }

  /** The grids the worker covers, with their names. */
  List<Directory.Grid> gridsOf(Actor worker) {
    return directory.gridsOf(worker.name()).stream().map(g -> directory.grid(g).orElseThrow()).toList();
  }

  /** One task, for the worker to act on; reading the phone in clear is audited. */
  @Transactional
  TaskDetail open(Actor actor, UUID taskId) {
    Task t = find(taskId);
    requireScope(actor, t.gridCode());
    UUID person = personOf(taskId);
    Task shown = masked(t, persons.views(List.of(person)).get(person));
    String phone = persons.recipients(List.of(person)).getOrDefault(person, List.of()).stream().map(Persons.Recipient::phone)
        .findFirst().orElse(null);
    audit.record(actor, "PERSON_READ", "person", person.toString(), "follow-up task " + taskId + " (" + t.kind() + ")");
    return new TaskDetail(shown, phone, contacts(taskId), diary(taskId));
  }

  /**
   * Records a visit or a call. Reaching the person closes the task (home observation closes with
   * its diary instead); {@code observeDays} (reached only) places them under home observation.
   */
  @Transactional
  TaskDetail contact(Actor actor, UUID taskId, String method, Boolean reached, String note, Integer observeDays) {
    Task t = find(taskId);
    requireScope(actor, t.gridCode());
    if (!"OPEN".equals(t.status())) {
      throw ApiException.conflict("TASK_DONE", "This task is done already");
    }
    String m = ApiException.required("method", method);
    if (!m.equals("VISIT") && !m.equals("CALL")) {
      throw ApiException.badRequest("INVALID_FOLLOW_UP_METHOD", "method", "method is VISIT or CALL");
    }
    boolean r = ApiException.required("reached", reached);
    String n = note == null || note.isBlank() ? null : note.strip();
    if (n != null && n.length() > 500) {
      throw ApiException.badRequest("VALIDATION_FAILED", "note", "note must be at most 500 characters");
    }
    if (observeDays != null && (observeDays < 1 || observeDays > 30 || !r || t.kind() == TaskKind.HOME_OBSERVATION)) {
      throw ApiException.badRequest("INVALID_OBSERVATION_DAYS", "observeDays",
          "observeDays is 1–30, and only for a person reached on a task other than home observation");
    }
    Instant now = clock.instant();
    jdbc.sql("insert into follow_up_contacts (task_id, method, reached, note, by_user, at) values (?, ?, ?, ?, ?, ?)")
        .params(taskId, m, r, n, actor.name(), utc(now)).update();
    UUID person = personOf(taskId);
    if (r && t.kind() != TaskKind.HOME_OBSERVATION) {
      jdbc.sql("update follow_up_tasks set status = 'DONE', done_at = ?, done_by = ? where id = ?").params(utc(now), actor.name(), taskId)
          .update();
    }
    if (observeDays != null) {
      place(actor, t, person, observeDays, now);
    }
    audit.record(actor, "FOLLOW_UP_RECORDED", "person", person.toString(), t.kind() + " " + m + (r ? " reached" : " not reached")
        + (observeDays == null ? "" : ", home observation " + observeDays + " days"));
    return new TaskDetail(masked(find(taskId), persons.views(List.of(person)).get(person)), null, contacts(taskId), diary(taskId));
  }

  /** Places a person under home observation: a task due at the end, a diary entry a day until then. */
  private void place(Actor actor, Task from, UUID person, int days, Instant now) {
    LocalDate today = LocalDate.ofInstant(now, zone);
    LocalDate until = today.plusDays(days - 1L);
    jdbc.sql("""
            insert into follow_up_tasks (id, grid_code, district_code, person_id, kind, status, detail, created_at, due_at, observe_until)
            values (?, ?, ?, ?, 'HOME_OBSERVATION', 'OPEN', ?, ?, ?, ?)""")
        .params(UUID.randomUUID(), from.gridCode(), from.districtCode(), person,
            "居家观察 " + days + " 天，至 " + until + " Home observation for " + days + " days, until " + until + " (" + actor.name() + ")",
            utc(now), until.plusDays(1).atStartOfDay(zone).toOffsetDateTime(), until)
        .update();
  }

  /** A worker's diary entry on a home-observation task of their grid. */
  @Transactional
  TaskDetail diaryByWorker(Actor actor, UUID taskId, BigDecimal temperature, List<String> symptoms) {
    Task t = find(taskId);
    requireScope(actor, t.gridCode());
    if (t.kind() != TaskKind.HOME_OBSERVATION) {
      throw ApiException.conflict("NOT_UNDER_OBSERVATION", "This task is not a home observation");
    }
    enter(actor, t, temperature, symptoms);
    UUID person = personOf(taskId);
    return new TaskDetail(masked(find(taskId), persons.views(List.of(person)).get(person)), null, contacts(taskId), diary(taskId));
  }

  /** A resident's diary entry for a person on their account who is under home observation. */
  @Transactional
  Observation diaryByResident(Actor resident, UUID personId, BigDecimal temperature, List<String> symptoms) {
    persons.requireHeldBy(resident, personId);
    UUID taskId = activeObservation(personId);
    if (taskId == null) {
      throw ApiException.conflict("NOT_UNDER_OBSERVATION", "This person is not under home observation");
    }
    enter(resident, find(taskId), temperature, symptoms);
    return observation(resident, personId);
  }

  /** The person's current (or latest) home observation and its diary. */
  Observation observation(Actor resident, UUID personId) {
    persons.requireHeldBy(resident, personId);
    UUID active = activeObservation(personId);
    UUID taskId = active != null ? active : jdbc.sql("""
            select id from follow_up_tasks where person_id = ? and kind = 'HOME_OBSERVATION' order by created_at desc limit 1""")
        .param(personId).query(UUID.class).optional().orElse(null);
    if (taskId == null) {
      return new Observation(false, null, null, List.of());
    }
    return new Observation(active != null, taskId, find(taskId).observeUntil(), diary(taskId));
  }

  private UUID activeObservation(UUID personId) {
    return jdbc.sql("""
            select id from follow_up_tasks where person_id = ? and kind = 'HOME_OBSERVATION' and status = 'OPEN'
            order by created_at desc limit 1""")
        .param(personId).query(UUID.class).optional().orElse(null);
  }

  /** Today's entry (a later one replaces it); the observation is done once every day until its end has one. */
  private void enter(Actor actor, Task t, BigDecimal temperature, List<String> symptomNames) {
    if (!"OPEN".equals(t.status())) {
      throw ApiException.conflict("TASK_DONE", "This home observation is over");
    }
    BigDecimal temp = ApiException.required("temperature", temperature).stripTrailingZeros();
    if (temp.compareTo(new BigDecimal("34.0")) < 0 || temp.compareTo(new BigDecimal("43.0")) > 0 || temp.scale() > 1) {
      throw ApiException.badRequest("INVALID_TEMPERATURE", "temperature", "temperature is 34.0–43.0 °C with at most one decimal");
    }
    List<Symptom> symptoms = Symptom.parse("symptoms", symptomNames);
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, zone);
    jdbc.sql("""
            insert into observation_entries (task_id, day, temperature, symptoms, entered_by, entered_at) values (?, ?, ?, ?, ?, ?)
            on conflict (task_id, day) do update set temperature = excluded.temperature, symptoms = excluded.symptoms,
              entered_by = excluded.entered_by, entered_at = excluded.entered_at""")
        .params(t.taskId(), today, temp, symptoms.stream().map(Enum::name).toArray(String[]::new), who(actor), utc(now)).update();
    LocalDate first = LocalDate.ofInstant(t.createdAt(), zone);
    long days = ChronoUnit.DAYS.between(first, t.observeUntil()) + 1;
    long entered = jdbc.sql("select count(*) from observation_entries where task_id = ? and day between ? and ?")
        .params(t.taskId(), first, t.observeUntil()).query(Long.class).single();
    if (entered >= days) {
      jdbc.sql("update follow_up_tasks set status = 'DONE', done_at = ?, done_by = ? where id = ?")
          .params(utc(now), who(actor), t.taskId()).update();
    }
  }

  /**
   * Escalates open tasks past their due time to their district, once each: an alert the command
   * centre shows (no personal data in it). Returns how many were escalated.
   */
  @Transactional
  int escalateOverdue() {
    Instant now = clock.instant();
    record Overdue(UUID id, String grid, String district, String kind, Instant due) {}
    List<Overdue> overdue = jdbc.sql("""
            update follow_up_tasks set escalated_at = ? where id in (
              select id from follow_up_tasks where status = 'OPEN' and escalated_at is null and due_at < ?
              order by due_at limit 500 for update skip locked)
            returning id, grid_code, district_code, kind, due_at""")
        .params(utc(now), utc(now))
        .query((rs, i) -> new Overdue(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
    for (Overdue o : overdue) {
      alerts.raise("FOLLOW_UP_OVERDUE", o.district() + " / " + o.grid() + " / " + o.id().toString().substring(0, 8),
          "区 District " + o.district() + ": 网格 grid " + o.grid() + " 的 " + o.kind() + " 随访逾期 follow-up task overdue since "
              + o.due().atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES));
    }
    return overdue.size();
  }

  // ---------------------------------------------------------------- reading

  private static final String SELECT = """
      select t.id, t.grid_code, t.district_code, t.kind, t.status, t.detail, t.created_at, t.due_at, t.escalated_at, t.observe_until,
        (select count(*) from observation_entries e where e.task_id = t.id), t.done_at, t.done_by, t.person_id,
        t.declaration_id
      from follow_up_tasks t""";

  /** A stored task with the person it concerns (never shown as such). */
  private record Row(Task task, UUID personId) {}

  private Row task(java.sql.ResultSet rs, Instant now) throws java.sql.SQLException {
    OffsetDateTime escalated = rs.getObject(9, OffsetDateTime.class);
    OffsetDateTime done = rs.getObject(12, OffsetDateTime.class);
    Instant due = rs.getObject(8, OffsetDateTime.class).toInstant();
    UUID id = rs.getObject(1, UUID.class);
    String status = rs.getString(5);
    return new Row(new Task(id, rs.getString(2), rs.getString(3), TaskKind.valueOf(rs.getString(4)), status, null, null, rs.getString(6),
        rs.getObject(7, OffsetDateTime.class).toInstant(), due, "OPEN".equals(status) && due.isBefore(now),
        escalated == null ? null : escalated.toInstant(), rs.getObject(10, LocalDate.class), rs.getInt(11),
        done == null ? null : done.toInstant(), rs.getString(13), rs.getObject(15, UUID.class)), rs.getObject(14, UUID.class));
  }

  private Row row(UUID taskId) {
    Instant now = clock.instant();
    return jdbc.sql(SELECT + " where t.id = ?").param(taskId).query((rs, i) -> task(rs, now)).optional()
        .orElseThrow(() -> ApiException.notFound("TASK_NOT_FOUND", "No follow-up task " + taskId));
  }

  private Task find(UUID taskId) {
    return row(taskId).task();
  }

  private UUID personOf(UUID taskId) {
    return row(taskId).personId();
  }

  private static Task masked(Task t, Persons.PersonView p) {
    return new Task(t.taskId(), t.gridCode(), t.districtCode(), t.kind(), t.status(), p == null ? null : p.nameMasked(),
        p == null ? null : p.phoneMasked(), t.detail(), t.createdAt(), t.dueAt(), t.overdue(), t.escalatedAt(), t.observeUntil(),
        t.diaryDays(), t.doneAt(), t.doneBy(), t.declarationId());
  }

  private List<Contact> contacts(UUID taskId) {
    return jdbc.sql("select method, reached, note, by_user, at from follow_up_contacts where task_id = ? order by at, id").param(taskId)
        .query((rs, i) -> new Contact(rs.getString(1), rs.getBoolean(2), rs.getString(3), rs.getString(4),
            rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
  }

  private List<Entry> diary(UUID taskId) {
    return jdbc.sql("select day, temperature, symptoms, entered_by, entered_at from observation_entries where task_id = ? order by day")
        .param(taskId)
        .query((rs, i) -> {
          BigDecimal temp = rs.getBigDecimal(2);
          return new Entry(rs.getObject(1, LocalDate.class), temp,
              Arrays.stream((String[]) rs.getArray(3).getArray()).map(Symptom::valueOf).toList(), temp.compareTo(FEVER) >= 0,
              rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant());
        })
        .list();
  }

  private void requireScope(Actor actor, String gridCode) {
    if (actor.role() == Role.GRID_WORKER && !directory.gridsOf(actor.name()).contains(gridCode)) {
      throw ApiException.outOfScope("This task belongs to grid " + gridCode + ", not one of yours");
    }
  }

  /** Who entered a diary line, as the page shows it: the worker's username, or "RESIDENT". */
  private static String who(Actor actor) {
    return actor.role() == Role.RESIDENT ? "RESIDENT" : actor.name();
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
