package org.epiloop.environment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.alerts.Alerts;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.TextInput;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A lab's rooms, devices, thresholds and sensor gateways, what they read now, their charts and
 * incidents, and the search for silent sensors. The lab's director (or an administrator)
 * arranges them; officials read every lab.
 */
@Service
@EnableConfigurationProperties(EnvironmentProperties.class)
class LabEnvironment {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,31}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Directory directory;
  private final Alerts alerts;
  private final RateLimits rateLimits;
  private final RateLimits.Limit gatewayLimit;
  private final Clock clock;

  LabEnvironment(JdbcClient jdbc, Directory directory, Alerts alerts, RateLimits rateLimits, EnvironmentProperties properties, Clock clock) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.alerts = alerts;
    this.rateLimits = rateLimits;
    this.gatewayLimit = new RateLimits.Limit("env-gateway-batches", properties.gatewayBatchesPerMinute(), Duration.ofMinutes(1));
    this.clock = clock;
  }

  // ---- arranging (director of the lab, or admin)

  record Room(String code, String name) {}

  @Transactional
  Room addRoom(Actor actor, String lab, String code, String name) {
    requireArranger(actor, lab);
    code(code, "code");
    String text = name(name);
    try {
      jdbc.sql("insert into env_rooms (lab_code, code, name, created_at) values (?, ?, ?, ?)").params(lab, code, text, now()).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("ROOM_EXISTS", "Lab " + lab + " has a room " + code + " already");
    }
    return new Room(code, text);
  }

  record DeviceView(String code, String name, String roomCode, int silenceMinutes, Instant lastReadingAt) {}

  @Transactional
  DeviceView addDevice(Actor actor, String lab, String code, String name, String roomCode, Integer silenceMinutes) {
    requireArranger(actor, lab);
    code(code, "code");
    String text = name(name);
    ApiException.required("roomCode", roomCode);
    int silence = silenceMinutes == null ? 10 : silenceMinutes;
    if (silence < 1 || silence > 1440) {
      throw ApiException.badRequest("INVALID_PARAMETER", "silenceMinutes", "silenceMinutes must be 1–1440");
    }
    if (jdbc.sql("select count(*) from env_rooms where lab_code = ? and code = ?").params(lab, roomCode).query(Integer.class).single() == 0) {
      throw ApiException.unprocessable("UNKNOWN_ROOM", "roomCode", "Lab " + lab + " has no room " + roomCode);
    }
    try {
      jdbc.sql("insert into env_devices (lab_code, room_code, code, name, silence_minutes, created_at) values (?, ?, ?, ?, ?, ?)")
          .params(lab, roomCode, code, text, silence, now()).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("DEVICE_EXISTS", "Lab " + lab + " has a device " + code + " already");
    }
    return new DeviceView(code, text, roomCode, silence, null);
  }

  record Threshold(String roomCode, String deviceCode, Measure measure, Double min, Double max, int graceSeconds) {}

  /** Sets the limits of a measure for a whole room, or for one device of it (deviceCode given). */
  @Transactional
  Threshold setThreshold(Actor actor, String lab, String roomCode, String deviceCode, String measure, Double min, Double max,
      Integer graceSeconds) {
    requireArranger(actor, lab);
    ApiException.required("roomCode", roomCode);
    Measure m = Measure.parse("measure", measure);
    if (min == null && max == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "max", "Give min, max or both");
    }
    if (min != null && max != null && min >= max || min != null && !Double.isFinite(min) || max != null && !Double.isFinite(max)) {
      throw ApiException.badRequest("INVALID_THRESHOLD", "min", "min must be below max, both finite numbers");
    }
    int grace = graceSeconds == null ? 300 : graceSeconds;
    if (grace < 0 || grace > 86400) {
      throw ApiException.badRequest("INVALID_PARAMETER", "graceSeconds", "graceSeconds must be 0–86400");
    }
    String device = deviceCode == null ? "" : deviceCode.strip();
    boolean known = device.isEmpty()
        ? jdbc.sql("select count(*) from env_rooms where lab_code = ? and code = ?").params(lab, roomCode).query(Integer.class).single() > 0
        : jdbc.sql("select count(*) from env_devices where lab_code = ? and room_code = ? and code = ?").params(lab, roomCode, device)
            .query(Integer.class).single() > 0;
    if (!known) {
      throw ApiException.unprocessable(device.isEmpty() ? "UNKNOWN_ROOM" : "UNKNOWN_DEVICE", device.isEmpty() ? "roomCode" : "deviceCode",
          "Lab " + lab + " has no such room or device");
    }
    jdbc.sql("""
            insert into env_thresholds (lab_code, room_code, device_code, measure, min_value, max_value, grace_seconds, updated_by, updated_at)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)
            on conflict (lab_code, room_code, device_code, measure) do update set min_value = excluded.min_value,
              max_value = excluded.max_value, grace_seconds = excluded.grace_seconds, updated_by = excluded.updated_by,
              updated_at = excluded.updated_at""")
        .params(lab, roomCode, device, m.name(), min, max, grace, actor.name(), now()).update();
    return new Threshold(roomCode, device.isEmpty() ? null : device, m, min, max, grace);
  }

  /** A gateway's key, shown once: {@code gw_<id>.<secret>}. */
  record IssuedKey(UUID gatewayId, String name, String key) {}

  /**
   * Issues a key for a sensor gateway of the lab. Only a SHA-256 of the secret is kept: the
   * secret is 256 random bits, so a fast hash is enough (no password to guess), and the check
   * of every batch stays cheap (ADR 0027).
   */
  @Transactional
  IssuedKey issueGateway(Actor actor, String lab, String name) {
    requireArranger(actor, lab);
    String text = name(name);
    UUID id = UUID.randomUUID();
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    jdbc.sql("insert into env_gateways (id, lab_code, name, key_hash, created_by, created_at) values (?, ?, ?, ?, ?, ?)")
        .params(id, lab, text, sha256(secretText), actor.name(), now()).update();
    return new IssuedKey(id, text, "gw_" + id + "." + secretText);
  }

  @Transactional
  void revokeGateway(Actor actor, String lab, UUID id) {
    requireArranger(actor, lab);
    if (jdbc.sql("update env_gateways set revoked_at = ? where id = ? and lab_code = ? and revoked_at is null").params(now(), id, lab).update() == 0) {
      throw ApiException.notFound("GATEWAY_NOT_FOUND", "Lab " + lab + " has no active gateway " + id);
    }
  }

  /**
   * The lab a gateway key belongs to; 401 for any key that is malformed, unknown or revoked (the
   * same answer, so that a guesser learns nothing), 429 past the gateway's batch limit.
   */
  String authenticateGateway(String key) {
    if (key == null || key.isBlank()) {
      throw ApiException.badRequest("HEADER_REQUIRED", "X-Gateway-Key", "A sensor gateway sends its key in X-Gateway-Key");
    }
    int dot = key.indexOf('.');
    UUID id;
    try {
      if (!key.startsWith("gw_") || dot < 0) {
        throw new IllegalArgumentException();
      }
      id = UUID.fromString(key.substring(3, dot));
    } catch (IllegalArgumentException e) {
      throw ApiException.unauthorized("Unknown gateway key");
    }
    record Row(String lab, byte[] hash) {}
    Row row = jdbc.sql("select lab_code, key_hash from env_gateways where id = ? and revoked_at is null").param(id)
        .query((rs, i) -> new Row(rs.getString(1), rs.getBytes(2))).optional()
        .orElseThrow(() -> ApiException.unauthorized("Unknown gateway key"));
    if (!MessageDigest.isEqual(row.hash(), sha256(key.substring(dot + 1)))) {
      throw ApiException.unauthorized("Unknown gateway key");
    }
    rateLimits.acquire(gatewayLimit, id.toString(), "RATE_LIMITED", "This gateway sends too many batches; send larger ones");
    return row.lab();
  }

  // ---- reading

  record ReadingNow(String roomCode, String deviceCode, String deviceName, Measure measure, String unit, Double value, Instant at,
      Double min, Double max) {}

  record IncidentView(long id, String kind, String roomCode, String deviceCode, String measure, Instant startedAt, Instant raisedAt,
      Double peak, Double limit, Instant endedAt) {}

  record Overview(String labCode, List<Room> rooms, List<DeviceView> devices, List<ReadingNow> current, List<Threshold> thresholds,
      List<IncidentView> openIncidents, List<IncidentView> recentIncidents) {}

  @Transactional(readOnly = true)
  Overview overview(Actor actor, String lab) {
    requireReader(actor, lab);
    List<Room> rooms = jdbc.sql("select code, name from env_rooms where lab_code = ? order by code").param(lab)
        .query((rs, i) -> new Room(rs.getString(1), rs.getString(2))).list();
    List<DeviceView> devices = jdbc.sql("select code, name, room_code, silence_minutes, last_reading_at from env_devices where lab_code = ? order by room_code, code")
        .param(lab).query((rs, i) -> new DeviceView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), instant(rs.getObject(5, OffsetDateTime.class))))
        .list();
    List<ReadingNow> current = jdbc.sql("""
            select d.room_code, d.code, d.name, c.measure, c.last_value, c.last_at,
                   coalesce(td.min_value, tr.min_value), coalesce(td.max_value, tr.max_value)
            from env_devices d join env_channels c on c.device_id = d.id
            left join env_thresholds td on td.lab_code = d.lab_code and td.device_code = d.code and td.measure =
              (case c.measure when 1 then 'TEMPERATURE' when 2 then 'HUMIDITY' else 'PRESSURE_DIFF' end)
            left join env_thresholds tr on tr.lab_code = d.lab_code and tr.room_code = d.room_code and tr.device_code = '' and tr.measure =
              (case c.measure when 1 then 'TEMPERATURE' when 2 then 'HUMIDITY' else 'PRESSURE_DIFF' end)
            where d.lab_code = ? order by d.room_code, d.code, c.measure""")
        .param(lab).query((rs, i) -> {
          Measure m = Measure.of(rs.getShort(4));
          return new ReadingNow(rs.getString(1), rs.getString(2), rs.getString(3), m, m.unit, rs.getDouble(5),
              instant(rs.getObject(6, OffsetDateTime.class)), (Double) rs.getObject(7, Double.class), (Double) rs.getObject(8, Double.class));
        }).list();
    List<Threshold> thresholds = jdbc.sql("select room_code, device_code, measure, min_value, max_value, grace_seconds from env_thresholds where lab_code = ? order by room_code, device_code, measure")
        .param(lab).query((rs, i) -> new Threshold(rs.getString(1), rs.getString(2).isEmpty() ? null : rs.getString(2), Measure.valueOf(rs.getString(3)),
            (Double) rs.getObject(4, Double.class), (Double) rs.getObject(5, Double.class), rs.getInt(6))).list();
    return new Overview(lab, rooms, devices, current, thresholds, incidents(lab, true), incidents(lab, false));
  }

  private List<IncidentView> incidents(String lab, boolean open) {
    return jdbc.sql("""
            select i.id, i.kind, d.room_code, d.code, i.measure, i.started_at, i.raised_at, i.peak, i.limit_value, i.ended_at
            from env_incidents i join env_devices d on d.id = i.device_id
            where i.lab_code = ? and (i.ended_at is null) = ? order by i.started_at desc limit 50""")
        .params(lab, open).query((rs, i) -> new IncidentView(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            instant(rs.getObject(6, OffsetDateTime.class)), instant(rs.getObject(7, OffsetDateTime.class)), (Double) rs.getObject(8, Double.class),
            (Double) rs.getObject(9, Double.class), instant(rs.getObject(10, OffsetDateTime.class)))).list();
  }

  /** One point of a chart: a minute's mean, lowest and highest. */
  record Point(Instant minute, double mean, double min, double max, int n) {}

  record Chart(String deviceCode, Measure measure, String unit, Double min, Double max, List<Point> points) {}

  /** A device's measure over the last hours, per minute (from the per-minute table, never the raw rows). */
  @Transactional(readOnly = true)
  Chart chart(Actor actor, String lab, String deviceCode, String measure, Integer hours) {
    requireReader(actor, lab);
    Measure m = Measure.parse("measure", measure);
    int h = hours == null ? 6 : hours;
    if (h < 1 || h > 168) {
      throw ApiException.badRequest("INVALID_PARAMETER", "hours", "hours must be 1–168");
    }
    Integer id = jdbc.sql("select id from env_devices where lab_code = ? and code = ?").params(lab, deviceCode).query(Integer.class).optional()
        .orElseThrow(() -> ApiException.notFound("DEVICE_NOT_FOUND", "Lab " + lab + " has no device " + deviceCode));
    List<Point> points = jdbc.sql("""
            select minute, total / n, min_value, max_value, n from env_minutes
            where device_id = ? and measure = ? and minute >= ? order by minute""")
        .params(id, m.id, utc(clock.instant().minus(Duration.ofHours(h))))
        .query((rs, i) -> new Point(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getDouble(2), rs.getFloat(3), rs.getFloat(4), rs.getInt(5)))
        .list();
    ReadingNow limits = overview(actor, lab).current().stream().filter(c -> c.deviceCode().equals(deviceCode) && c.measure() == m).findFirst().orElse(null);
    return new Chart(deviceCode, m, m.unit, limits == null ? null : limits.min(), limits == null ? null : limits.max(), points);
  }

  // ---- silent sensors

  /**
   * Raises an incident for every device that has not reported for its silence minutes (counted
   * from its creation when it never reported). It closes at the device's next reading.
   */
  @Scheduled(fixedDelayString = "${epiloop.environment.silence-check:30s}", initialDelayString = "PT20S")
  @Transactional
  public int checkSilence() {
    record Silent(long incident, String lab, String device, String room, Instant since) {}
    OffsetDateTime now = utc(clock.instant());
    List<Silent> silent = jdbc.sql("""
            insert into env_incidents (lab_code, device_id, kind, started_at, raised_at)
            select d.lab_code, d.id, 'SILENT', coalesce(d.last_reading_at, d.created_at), :now from env_devices d
            where coalesce(d.last_reading_at, d.created_at) < :now - make_interval(mins => d.silence_minutes)
            on conflict (device_id) where kind = 'SILENT' and ended_at is null do nothing
            returning id, lab_code, (select code from env_devices x where x.id = device_id),
                      (select room_code from env_devices x where x.id = device_id), started_at""")
        .param("now", now)
        .query((rs, i) -> new Silent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getObject(5, OffsetDateTime.class).toInstant()))
        .list();
    for (Silent s : silent) {
      alerts.raise(Readings.SILENT, Readings.silentSubject(s.lab(), s.device(), s.incident()),
          "Lab " + s.lab() + " room " + s.room() + ": device " + s.device() + " has sent no reading since " + s.since());
    }
    return silent.size();
  }

  // ---- scope

  /** The lab's director arranges its rooms; an administrator any lab's. */
  void requireArranger(Actor actor, String lab) {
    requireLab(lab);
    actor.requireLab(lab);
  }

  void requireReader(Actor actor, String lab) {
    requireLab(lab);
    actor.requireLab(lab);
  }

  private void requireLab(String lab) {
    if (lab == null || directory.lab(lab).isEmpty()) {
      throw ApiException.notFound("LAB_NOT_FOUND", "No lab " + lab);
    }
  }

  private static void code(String code, String field) {
    ApiException.required(field, code);
    if (!CODE.matcher(code).matches()) {
      throw ApiException.badRequest("INVALID_CODE", field, field + " must be 2–32 letters, digits, '-' or '_'");
    }
  }

  private static String name(String name) {
    String text = ApiException.required("name", name);
    if (text.length() > 100) {
      throw ApiException.badRequest("VALIDATION_FAILED", "name", "name must be at most 100 characters");
    }
    return TextInput.requireClean("name", text, false);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime now() {
    return utc(clock.instant());
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
