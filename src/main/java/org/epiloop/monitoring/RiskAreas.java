package org.epiloop.monitoring;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.epiloop.audit.AuditTrail;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Risk areas kept by officials (H1, M5). An area is a region code, a level and the days it is in
 * force, from its first day to its last (city dates; open-ended until ended). A change is a new
 * row or the end of one, never an edit: the level in force at any moment of the past stays
 * readable, and every rule asks for the level at the time in question (an arrival's time). Where
 * several areas cover one region at one moment (a county and one of its streets) the highest
 * level holds. Every change is audited.
 */
@Service
class RiskAreas {

  /** One risk area as officials see it; {@code to} null: until ended. */
  record Area(long id, String regionCode, String name, RiskLevel level, LocalDate from, LocalDate to, String setBy,
      Instant setAt, String endedBy) {}

  private final JdbcClient jdbc;
  private final AuditTrail audit;
  private final ApplicationEventPublisher events;
  private final Clock clock;
  private final ZoneId zone;

  RiskAreas(JdbcClient jdbc, AuditTrail audit, ApplicationEventPublisher events, Clock clock, EpiloopProperties epiloop) {
    this.jdbc = jdbc;
    this.audit = audit;
    this.events = events;
    this.clock = clock;
    this.zone = epiloop.zone();
  }

  @Transactional
  Area add(Actor official, String regionCode, String name, String level, String from, String to) {
    String code = RegionCodes.check("regionCode", regionCode);
    String n = ApiException.required("name", name).strip();
    if (n.isEmpty() || n.length() > 100) {
      throw ApiException.badRequest("VALIDATION_FAILED", "name", "name must be 1–100 characters");
    }
    RiskLevel l = level(level);
    LocalDate first = date("from", from);
    LocalDate last = to == null || to.isBlank() ? null : date("to", to);
    if (last != null && last.isBefore(first)) {
      throw ApiException.badRequest("INVALID_DATE", "to", "to must not be before from");
    }
    Instant now = clock.instant();
    long id = jdbc.sql("""
            insert into risk_areas (region_code, prefix, name, level, valid_from, valid_to, set_by, set_at)
            values (?, ?, ?, ?, ?, ?, ?, ?) returning id""")
        .params(code, RegionCodes.prefix(code), n, l.name(), start(first), last == null ? null : start(last.plusDays(1)), official.name(),
            now.atOffset(ZoneOffset.UTC))
        .query(Long.class).single();
    audit.record(official, "RISK_AREA_SET", "risk_area", String.valueOf(id), code + " " + n + " " + l + " from " + first + " to " + last);
    events.publishEvent(new RiskAreasChanged(RegionCodes.prefix(code)));
    return find(id);
  }

  /** Ends an area after its last day {@code to} (today when null); an area ended already is 409. */
  @Transactional
  Area end(Actor official, long id, String to) {
    Area area = find(id);
    if (area.endedBy() != null) {
      throw ApiException.conflict("RISK_AREA_ENDED", "Risk area " + id + " was ended already");
    }
    LocalDate last = to == null || to.isBlank() ? LocalDate.now(clock.withZone(zone)) : date("to", to);
    if (last.isBefore(area.from())) {
      throw ApiException.badRequest("INVALID_DATE", "to", "to must not be before the area's first day " + area.from());
    }
    jdbc.sql("update risk_areas set valid_to = ?, ended_by = ?, ended_at = ? where id = ?")
        .params(start(last.plusDays(1)), official.name(), clock.instant().atOffset(ZoneOffset.UTC), id).update();
    audit.record(official, "RISK_AREA_ENDED", "risk_area", String.valueOf(id), area.regionCode() + " last day " + last);
    events.publishEvent(new RiskAreasChanged(RegionCodes.prefix(area.regionCode())));
    return find(id);
  }

  Area find(long id) {
    return jdbc.sql("select id, region_code, name, level, valid_from, valid_to, set_by, set_at, ended_by from risk_areas where id = ?")
        .param(id).query(this::area).optional()
        .orElseThrow(() -> ApiException.notFound("RISK_AREA_NOT_FOUND", "No risk area " + id));
  }

  /** Areas in force now or later (all = also those that ended), newest first; at most 500. */
  List<Area> list(boolean all) {
    return jdbc.sql("""
            select id, region_code, name, level, valid_from, valid_to, set_by, set_at, ended_by from risk_areas
            where ? or valid_to is null or valid_to > ? order by set_at desc, id desc limit 500""")
        .params(all, clock.instant().atOffset(ZoneOffset.UTC)).query(this::area).list();
  }

  /** The highest level covering a region at a moment, or null. */
  RiskLevel levelAt(String regionCode, Instant at) {
    return jdbc.sql("""
            select level from risk_areas where ? like prefix || '%' and valid_from <= ? and (valid_to is null or valid_to > ?)
            order by case level when 'HIGH' then 3 when 'MEDIUM' then 2 else 1 end desc limit 1""")
        .params(regionCode, at.atOffset(ZoneOffset.UTC), at.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> RiskLevel.valueOf(rs.getString(1))).optional().orElse(null);
  }

  private Area area(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    OffsetDateTime to = rs.getObject(6, OffsetDateTime.class);
    return new Area(rs.getLong(1), rs.getString(2), rs.getString(3), RiskLevel.valueOf(rs.getString(4)),
        rs.getObject(5, OffsetDateTime.class).atZoneSameInstant(zone).toLocalDate(),
        to == null ? null : to.atZoneSameInstant(zone).toLocalDate().minusDays(1), rs.getString(7),
        rs.getObject(8, OffsetDateTime.class).toInstant(), rs.getString(9));
  }

  private OffsetDateTime start(LocalDate day) {
    return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
  }

  private static RiskLevel level(String level) {
    ApiException.required("level", level);
    try {
      return RiskLevel.valueOf(level);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_RISK_LEVEL", "level", "level is HIGH, MEDIUM or LOW");
    }
  }

  static LocalDate date(String field, String value) {
    ApiException.required(field, value);
    try {
      LocalDate d = LocalDate.parse(value);
      if (d.getYear() < 2019 || d.getYear() > 2100) {
        throw ApiException.badRequest("INVALID_DATE", field, field + " must be a date from 2019 on (YYYY-MM-DD)");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_DATE", field, field + " must be a date (YYYY-MM-DD)");
    }
  }
}
