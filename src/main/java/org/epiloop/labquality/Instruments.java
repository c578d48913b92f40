package org.epiloop.labquality;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.epiloop.audit.AuditTrail;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The lab's instruments with their calibration and maintenance due dates (L6/L8). */
@Service
class Instruments {

  /** Kinds of instrument a PCR lab keeps. Stored as text. */
  enum Kind {
    PCR_CYCLER, EXTRACTOR, BIOSAFETY_CABINET, CENTRIFUGE, FREEZER
  }

  private final JdbcClient jdbc;
  private final QcProperties properties;
  private final AuditTrail audit;
  private final EpiloopProperties city;
  private final Clock clock;

  Instruments(JdbcClient jdbc, QcProperties properties, AuditTrail audit, EpiloopProperties city, Clock clock) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.audit = audit;
    this.city = city;
    this.clock = clock;
  }

  record NewInstrument(String code, String kind, String name, LocalDate calibrationDue, LocalDate maintenanceDue) {}

  record Instrument(String labCode, String code, Kind kind, String name, LocalDate calibrationDue, LocalDate maintenanceDue,
      boolean calibrationOverdue, boolean calibrationSoon, boolean maintenanceOverdue, boolean maintenanceSoon) {}

  /**
   * The director registers an instrument, or updates one (same code: a new name, kind or due
   * dates after a calibration or a service visit).
   */
  @Transactional
  Instrument register(Actor director, String labCode, NewInstrument body) {
    director.requireLab(labCode);
    String code = Codes.code("code", body.code());
    Kind kind;
    try {
      kind = Kind.valueOf(ApiException.required("kind", body.kind()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_INSTRUMENT_KIND", "kind",
          "kind is PCR_CYCLER, EXTRACTOR, BIOSAFETY_CABINET, CENTRIFUGE or FREEZER");
    }
    String name = Codes.text("name", body.name(), 100);
    LocalDate calibration = Codes.date("calibrationDue", body.calibrationDue());
    LocalDate maintenance = Codes.date("maintenanceDue", body.maintenanceDue());
    jdbc.sql("""
              insert into instruments (lab_code, code, kind, name, calibration_due, maintenance_due, created_by, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?)
              on conflict (lab_code, code) do update set kind = excluded.kind, name = excluded.name,
                calibration_due = excluded.calibration_due, maintenance_due = excluded.maintenance_due""")
          .params(labCode, code, kind.name(), name, calibration, maintenance, director.name(), clock.instant().atOffset(ZoneOffset.UTC))
          .update();
    audit.record(director, "INSTRUMENT_REGISTERED", "instrument", labCode + "/" + code,
        kind + " calibration " + calibration + " maintenance " + maintenance);
    return list(director, labCode).stream().filter(i -> i.code().equals(code)).findFirst().orElseThrow();
  }

  @Transactional(readOnly = true)
  List<Instrument> list(Actor actor, String labCode) {
    actor.requireLab(labCode);
    LocalDate today = today();
    LocalDate soon = today.plusDays(properties.calibrationNoticeDays());
    return jdbc.sql("select lab_code, code, kind, name, calibration_due, maintenance_due from instruments where lab_code = ? order by kind, code")
        .param(labCode)
        .query((rs, i) -> {
          LocalDate cal = rs.getObject(5, LocalDate.class);
          LocalDate main = rs.getObject(6, LocalDate.class);
          return new Instrument(rs.getString(1), rs.getString(2), Kind.valueOf(rs.getString(3)), rs.getString(4), cal, main,
              cal.isBefore(today), !cal.isBefore(today) && !cal.isAfter(soon), main.isBefore(today),
              !main.isBefore(today) && !main.isAfter(soon));
        }).list();
  }

  /**
   * Checks the cycler a plate names: registered here, a PCR cycler, and calibrated (its
   * calibration due date not before today in the city). A lab that registered a cycler names one
   * on every plate.
   */
  String checkCycler(String labCode, String code) {
    if (code == null || code.isBlank()) {
      boolean digital = jdbc.sql("select exists (select 1 from instruments where lab_code = ? and kind = 'PCR_CYCLER')").param(labCode)
          .query(Boolean.class).single();
      if (digital) {
        throw ApiException.badRequest("CYCLER_REQUIRED", "cycler", "This lab keeps its cyclers in Epiloop: name the cycler this plate runs on");
      }
      return null;
    }
    record Row(String kind, LocalDate calibrationDue) {}
    Row row = jdbc.sql("select kind, calibration_due from instruments where lab_code = ? and code = ?").params(labCode, code)
        .query((rs, i) -> new Row(rs.getString(1), rs.getObject(2, LocalDate.class))).optional()
        .orElseThrow(() -> ApiException.unprocessable("INSTRUMENT_UNKNOWN", "cycler", "No instrument " + code + " at this lab"));
    if (!row.kind().equals(Kind.PCR_CYCLER.name())) {
      throw ApiException.unprocessable("INSTRUMENT_NOT_A_CYCLER", "cycler", code + " is a " + row.kind() + ", not a PCR cycler");
    }
    if (row.calibrationDue().isBefore(today())) {
      throw ApiException.unprocessable("INSTRUMENT_CALIBRATION_OVERDUE", "cycler",
          "Cycler " + code + " was due for calibration on " + row.calibrationDue() + "; calibrate it or use another");
    }
    return code;
  }

  /** Instruments in every lab whose calibration or maintenance is due soon or overdue. */
  List<Instrument> attention() {
    List<String> labs = jdbc.sql("select distinct lab_code from instruments where calibration_due <= ? or maintenance_due <= ?")
        .params(today().plusDays(properties.calibrationNoticeDays()), today().plusDays(properties.calibrationNoticeDays()))
        .query(String.class).list();
    return labs.stream().flatMap(l -> list(Actor.SYSTEM, l).stream())
        .filter(i -> i.calibrationOverdue() || i.calibrationSoon() || i.maintenanceOverdue() || i.maintenanceSoon()).toList();
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), city.zone());
  }
}
