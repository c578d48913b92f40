package org.epiloop.samplebank;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.lab.RunReleased;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.TextInput;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The sample bank of each lab: tubes to keep, their positions, retention and disposal (L7). */
@Service
@EnableConfigurationProperties(SampleBankProperties.class)
class SampleBank {

  private static final Pattern PLACE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,15}");
  static final int MAX_DISPOSAL = 1000;

  private final JdbcClient jdbc;
  private final Directory directory;
  private final AuditTrail audit;
  private final List<KeepRule> policy;
  private final Clock clock;

  SampleBank(JdbcClient jdbc, Directory directory, AuditTrail audit, SampleBankProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.audit = audit;
    this.policy = KeepRule.policy(properties);
    this.clock = clock;
  }

  /** A released run's tubes that the policy keeps wait for a position (idempotent: the registry may deliver twice). */
  @ApplicationModuleListener
  void on(RunReleased run) {
    for (RunReleased.TubeResult t : run.tubes()) {
      for (KeepRule rule : policy) {
        Optional<KeepRule.Keep> keep = rule.keep(t.tubeCode(), t.interpretation());
        if (keep.isPresent()) {
          jdbc.sql("""
                  insert into bank_tubes (tube_code, lab_code, reason, released_at, retain_until) values (?, ?, ?, ?, ?)
                  on conflict (tube_code) do nothing""")
              .params(t.tubeCode(), run.labCode(), keep.get().reason().name(), utc(run.releasedAt()),
                  utc(run.releasedAt().plus(keep.get().retention())))
              .update();
          break;
        }
      }
    }
  }

  record Stored(String tubeCode, String reason, String freezer, String rack, String box, String position, String storedBy,
      Instant storedAt, Instant retainUntil) {}

  /** Puts a kept tube at a position (both scanned). Storing it again at the same position answers the same. */
  @Transactional
  Stored store(Actor actor, String lab, String tubeCode, String freezer, String rack, String box, String position) {
    requireLab(actor, lab);
    String tube = ApiException.required("tubeCode", tubeCode);
    String f = place("freezer", freezer);
    String r = place("rack", rack);
    String b = place("box", box);
    String p = place("position", position);
    Stored now = find(lab, tube).orElseThrow(() -> ApiException.unprocessable("TUBE_NOT_KEPT", "tubeCode",
        "Tube " + tube + " is not one this lab keeps (not released here, or a negative outside the sample): it goes with the routine waste"));
    if (now.storedAt() != null) {
      if (f.equals(now.freezer()) && r.equals(now.rack()) && b.equals(now.box()) && p.equals(now.position())) {
        return now;
      }
      throw ApiException.conflict("TUBE_ALREADY_STORED", "Tube " + tube + " is stored at " + now.freezer() + "/" + now.rack() + "/"
          + now.box() + "/" + now.position() + " already");
    }
    if (disposed(tube)) {
      throw ApiException.conflict("TUBE_DISPOSED", "Tube " + tube + " was disposed of");
    }
    try {
      jdbc.sql("""
              update bank_tubes set freezer = ?, rack = ?, box = ?, position = ?, stored_by = ?, stored_at = ?
              where tube_code = ? and stored_at is null""")
          .params(f, r, b, p, actor.name(), utc(clock.instant()), tube).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("POSITION_TAKEN", "Position " + f + "/" + r + "/" + b + "/" + p + " holds another tube");
    }
    audit.record(actor, "BANK_STORED", "tube", tube, f + "/" + r + "/" + b + "/" + p);
    return find(lab, tube).orElseThrow();
  }

  record Disposal(UUID disposalId, int tubeCount, String disposedBy, Instant disposedAt, String note) {}

  /** Disposes of stored tubes past their retention, as one batch with who and when; all or none. */
  @Transactional
  Disposal dispose(Actor actor, String lab, List<String> tubeCodes, String note) {
    requireLab(actor, lab);
    List<String> tubes = ApiException.required("tubeCodes", tubeCodes);
    if (tubes.isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "tubeCodes", "Name the tubes to dispose of");
    }
    if (tubes.size() > MAX_DISPOSAL) {
      throw ApiException.badRequest("TOO_MANY", "tubeCodes", "At most " + MAX_DISPOSAL + " tubes a batch");
    }
    String text = TextInput.requireClean("note", ApiException.required("note", note), true);
    if (text.length() > 500) {
      throw ApiException.badRequest("VALIDATION_FAILED", "note", "note must be at most 500 characters");
    }
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    for (int i = 0; i < tubes.size(); i++) {
      String tube = tubes.get(i);
      String field = "tubeCodes[" + i + "]";
      Stored s = find(lab, ApiException.required(field, tube)).filter(x -> x.storedAt() != null)
          .orElseThrow(() -> ApiException.unprocessable("TUBE_NOT_STORED", field, "Tube " + tube + " is not stored in this lab's bank"));
      if (disposed(tube)) {
        throw ApiException.conflict("TUBE_DISPOSED", "Tube " + tube + " was disposed of");
      }
      if (s.retainUntil().isAfter(now)) {
        throw ApiException.unprocessable("RETENTION_NOT_OVER", field, "Tube " + tube + " is kept until " + s.retainUntil());
      }
    }
    jdbc.sql("insert into bank_disposals (id, lab_code, tube_count, disposed_by, disposed_at, note) values (?, ?, ?, ?, ?, ?)")
        .params(id, lab, tubes.size(), actor.name(), utc(now), text).update();
    jdbc.sql("update bank_tubes set disposal_id = ?, disposed_by = ?, disposed_at = ? where tube_code = any(?) and disposed_at is null")
        .params(id, actor.name(), utc(now), tubes.toArray(String[]::new)).update();
    audit.record(actor, "BANK_DISPOSED", "disposal", id.toString(), tubes.size() + " tubes: " + text);
    return new Disposal(id, tubes.size(), actor.name(), now, text);
  }

  record Waiting(String tubeCode, String reason, Instant releasedAt) {}

  record Summary(String labCode, long waiting, long stored, long positives, long inconclusives, long negativeSamples, long disposed,
      List<Waiting> toStore, List<Stored> dueForDisposal, List<Disposal> disposals) {}

  @Transactional(readOnly = true)
  Summary summary(Actor actor, String lab) {
    requireLab(actor, lab);
    record Counts(long waiting, long stored, long pos, long inc, long neg, long disposed) {}
    Counts c = jdbc.sql("""
            select count(*) filter (where stored_at is null and disposed_at is null),
                   count(*) filter (where stored_at is not null and disposed_at is null),
                   count(*) filter (where stored_at is not null and disposed_at is null and reason = 'POSITIVE'),
                   count(*) filter (where stored_at is not null and disposed_at is null and reason = 'INCONCLUSIVE'),
                   count(*) filter (where stored_at is not null and disposed_at is null and reason = 'NEGATIVE_SAMPLE'),
                   count(*) filter (where disposed_at is not null)
            from bank_tubes where lab_code = ?""")
        .param(lab).query((rs, i) -> new Counts(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6))).single();
    List<Waiting> toStore = jdbc.sql("""
            select tube_code, reason, released_at from bank_tubes where lab_code = ? and stored_at is null and disposed_at is null
            order by released_at limit 100""")
        .param(lab).query((rs, i) -> new Waiting(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant())).list();
    List<Stored> due = jdbc.sql("select " + COLUMNS + " from bank_tubes where lab_code = ? and stored_at is not null and disposed_at is null and retain_until <= ? order by retain_until limit 500")
        .params(lab, utc(clock.instant())).query((rs, i) -> stored(rs)).list();
    List<Disposal> disposals = jdbc.sql("select id, tube_count, disposed_by, disposed_at, note from bank_disposals where lab_code = ? order by disposed_at desc limit 20")
        .param(lab).query((rs, i) -> new Disposal(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class).toInstant(),
            rs.getString(5))).list();
    return new Summary(lab, c.waiting(), c.stored(), c.pos(), c.inc(), c.neg(), c.disposed(), toStore, due, disposals);
  }

  private static final String COLUMNS = "tube_code, reason, freezer, rack, box, position, stored_by, stored_at, retain_until";

  private Optional<Stored> find(String lab, String tube) {
    return jdbc.sql("select " + COLUMNS + " from bank_tubes where lab_code = ? and tube_code = ?").params(lab, tube).query((rs, i) -> stored(rs)).optional();
  }

  private boolean disposed(String tube) {
    return jdbc.sql("select count(*) from bank_tubes where tube_code = ? and disposed_at is not null").param(tube).query(Integer.class).single() > 0;
  }

  private static Stored stored(java.sql.ResultSet rs) throws java.sql.SQLException {
    OffsetDateTime at = rs.getObject(8, OffsetDateTime.class);
    return new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7),
        at == null ? null : at.toInstant(), rs.getObject(9, OffsetDateTime.class).toInstant());
  }

  private void requireLab(Actor actor, String lab) {
    if (lab == null || directory.lab(lab).isEmpty()) {
      throw ApiException.notFound("LAB_NOT_FOUND", "No lab " + lab);
    }
    actor.requireLab(lab);
  }

  private static String place(String field, String value) {
    String text = ApiException.required(field, value);
    if (!PLACE.matcher(text).matches()) {
      throw ApiException.badRequest("INVALID_CODE", field, field + " must be 1–16 letters, digits, '-' or '_'");
    }
    return text;
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  static List<String> list(List<String> in) {
    return in == null ? List.of() : new ArrayList<>(in);
  }
}
