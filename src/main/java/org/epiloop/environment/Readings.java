package org.epiloop.environment;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.epiloop.alerts.Alerts;
import org.epiloop.shared.ApiException;
import org.postgresql.PGConnection;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Takes in a lab's readings, from a gateway's HTTP batch or from MQTT, in one transaction per
 * batch: the raw rows by COPY, the per-minute aggregates and the devices' last-seen times by one
 * statement each, then each device and measure's state moves forward reading by reading
 * ({@link Excursions}), raising and closing alerts; the channels' new state and moved peaks are
 * written by one statement each, so a batch costs the same number of statements whatever its
 * number of devices (plus one insert or update per incident raised or closed).
 */
@Service
class Readings {

  /** Alert kinds this module raises (and clears). */
  static final String EXCURSION = "ENV_EXCURSION";
  static final String SILENT = "SENSOR_SILENT";
  /** A reading more than this far ahead of the server's clock is refused (a gateway's clock is wrong). */
  static final Duration MAX_AHEAD = Duration.ofMinutes(5);
  /** … and one older than this (a gateway that kept a week offline sends it to the archive, not here). */
  static final Duration MAX_AGE = Duration.ofDays(7);

  /** One reading as a gateway sends it. */
  record Reading(String device, Measure measure, Instant at, double value) {}

  /** What a batch did. */
  record Outcome(int accepted, int excursionsRaised, int excursionsClosed) {}

  private final JdbcClient jdbc;
  private final DataSource dataSource;
  private final Alerts alerts;
  private final Clock clock;

  Readings(JdbcClient jdbc, DataSource dataSource, Alerts alerts, Clock clock) {
    this.jdbc = jdbc;
    this.dataSource = dataSource;
    this.alerts = alerts;
    this.clock = clock;
  }

  record Device(int id, String code, String roomCode) {}

  @Transactional
  Outcome ingest(String labCode, List<Reading> batch) {
    if (batch.isEmpty()) {
      return new Outcome(0, 0, 0);
    }
    Instant now = clock.instant();
    Map<String, Device> devices = new HashMap<>();
    jdbc.sql("select id, code, room_code from env_devices where lab_code = ? and code = any(?)")
        .params(labCode, batch.stream().map(Reading::device).distinct().toArray(String[]::new))
        .query((rs, i) -> new Device(rs.getInt(1), rs.getString(2), rs.getString(3)))
        .list().forEach(d -> devices.put(d.code(), d));
    for (int i = 0; i < batch.size(); i++) {
      Reading r = batch.get(i);
      if (!devices.containsKey(r.device())) {
        throw ApiException.unprocessable("UNKNOWN_DEVICE", "readings[" + i + "].device", "Lab " + labCode + " has no device " + r.device());
      }
      if (r.at().isAfter(now.plus(MAX_AHEAD)) || r.at().isBefore(now.minus(MAX_AGE))) {
        throw ApiException.unprocessable("READING_OUT_OF_TIME", "readings[" + i + "].at",
            "A reading must be at most 7 days old and not in the future (the gateway's clock?)");
      }
      if (!Double.isFinite(r.value()) || Math.abs(r.value()) > 1e6) {
        throw ApiException.badRequest("INVALID_PARAMETER", "readings[" + i + "].value", "value must be a finite number");
      }
    }
    copy(batch, devices);
    minutes(batch, devices);
    jdbc.sql("""
            update env_devices d set last_reading_at = greatest(d.last_reading_at, x.at)
            from (select unnest(?::int[]) id, unnest(?::timestamptz[]) at) x where d.id = x.id""")
        .params(lastSeen(batch, devices)).update();
    int[] moved = excursions(labCode, batch, devices);
    return new Outcome(batch.size(), moved[0], moved[1]);
  }

  /** COPY is the fastest way into PostgreSQL (no statement per row); the connection is the transaction's. */
  private void copy(List<Reading> batch, Map<String, Device> devices) {
    StringBuilder csv = new StringBuilder(batch.size() * 48);
    for (Reading r : batch) {
      csv.append(devices.get(r.device()).id()).append(',').append(r.measure().id).append(',')
          .append(ReadingTimes.format(r.at())).append(',').append((float) r.value()).append('\n');
    }
    Connection c = DataSourceUtils.getConnection(dataSource);
    try {
      c.unwrap(PGConnection.class).getCopyAPI()
          .copyIn("copy env_readings (device_id, measure, at, value) from stdin (format csv)", new StringReader(csv.toString()));
    } catch (SQLException | IOException e) {
      throw new IllegalStateException("COPY of readings failed", e);
    } finally {
      DataSourceUtils.releaseConnection(c, dataSource);
    }
  }

  private void minutes(List<Reading> batch, Map<String, Device> devices) {
    record Key(int device, short measure, Instant minute) {}
    final class Agg {
      int n;
      double total;
      float min = Float.MAX_VALUE;
      float max = -Float.MAX_VALUE;
    }
    Map<Key, Agg> aggs = new HashMap<>();
    for (Reading r : batch) {
      Agg a = aggs.computeIfAbsent(new Key(devices.get(r.device()).id(), r.measure().id, r.at().truncatedTo(ChronoUnit.MINUTES)), k -> new Agg());
      a.n++;
      a.total += r.value();
      a.min = Math.min(a.min, (float) r.value());
      a.max = Math.max(a.max, (float) r.value());
    }
    int size = aggs.size();
    int[] ids = new int[size];
    int[] measures = new int[size];
    String[] minutes = new String[size];
    int[] ns = new int[size];
    double[] totals = new double[size];
    float[] mins = new float[size];
    float[] maxs = new float[size];
    int i = 0;
    // sorted, so that two batches upserting the same minutes lock them in the same order
    List<Map.Entry<Key, Agg>> entries = new ArrayList<>(aggs.entrySet());
    entries.sort(Comparator.comparing((Map.Entry<Key, Agg> e) -> e.getKey().device()).thenComparing(e -> e.getKey().measure())
        .thenComparing(e -> e.getKey().minute()));
    for (Map.Entry<Key, Agg> e : entries) {
      ids[i] = e.getKey().device();
      measures[i] = e.getKey().measure();
      minutes[i] = ReadingTimes.format(e.getKey().minute());
      ns[i] = e.getValue().n;
      totals[i] = e.getValue().total;
      mins[i] = e.getValue().min;
      maxs[i] = e.getValue().max;
      i++;
    }
    jdbc.sql("""
            insert into env_minutes (device_id, measure, minute, n, total, min_value, max_value)
            select * from unnest(?::int[], ?::smallint[], ?::timestamptz[], ?::int[], ?::float8[], ?::real[], ?::real[])
            on conflict (device_id, measure, minute) do update set n = env_minutes.n + excluded.n,
              total = env_minutes.total + excluded.total, min_value = least(env_minutes.min_value, excluded.min_value),
              max_value = greatest(env_minutes.max_value, excluded.max_value)""")
        .params(ids, measures, minutes, ns, totals, mins, maxs).update();
  }

  private static Object[] lastSeen(List<Reading> batch, Map<String, Device> devices) {
    Map<Integer, Instant> last = new TreeMap<>();
    for (Reading r : batch) {
      last.merge(devices.get(r.device()).id(), r.at(), (a, b) -> a.isAfter(b) ? a : b);
    }
    return new Object[] {last.keySet().stream().mapToInt(Integer::intValue).toArray(),
        last.values().stream().map(ReadingTimes::format).toArray(String[]::new)};
  }

  /** Moves each touched device and measure forward; returns {raised, closed}. */
  private int[] excursions(String labCode, List<Reading> batch, Map<String, Device> devices) {
    Map<Integer, Device> byId = new HashMap<>();
    devices.values().forEach(d -> byId.put(d.id(), d));
    // the readings of each channel in time order
    Map<Excursions.ChannelKey, List<Reading>> channels = new TreeMap<>();
    for (Reading r : batch) {
      channels.computeIfAbsent(new Excursions.ChannelKey(devices.get(r.device()).id(), r.measure()), k -> new ArrayList<>()).add(r);
    }
    channels.values().forEach(l -> l.sort(Comparator.comparing(Reading::at)));
    int[] ids = channels.keySet().stream().mapToInt(Excursions.ChannelKey::deviceId).toArray();
    int[] ms = channels.keySet().stream().mapToInt(k -> k.measure().id).toArray();
    // rows of channels already seen, locked in key order (two batches of one gateway never deadlock)
    Map<Excursions.ChannelKey, Excursions.Channel> state = new HashMap<>();
    jdbc.sql("""
            select c.device_id, c.measure, c.last_at, c.last_value, c.out_since, c.out_peak, c.incident_id
            from env_channels c join unnest(?::int[], ?::smallint[]) as k(d, m) on c.device_id = k.d and c.measure = k.m
            order by c.device_id, c.measure for update of c""")
        .params(ids, ms)
        .query((rs, i) -> {
          Excursions.Channel ch = new Excursions.Channel(rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getDouble(4),
              instant(rs.getObject(5, OffsetDateTime.class)), rs.getObject(6) == null ? null : rs.getDouble(6),
              (Long) rs.getObject(7, Long.class));
          state.put(new Excursions.ChannelKey(rs.getInt(1), Measure.of(rs.getShort(2))), ch);
          return ch;
        }).list();
    Map<String, Excursions.Limits> limits = limits(labCode);
    int raised = 0;
    int closed = 0;
    Instant now = clock.instant();
    // the channels' new state and the incidents whose peak moved, written below by one statement each
    int n = channels.size();
    String[] lastAts = new String[n];
    double[] lastValues = new double[n];
    String[] outSinces = new String[n];
    Double[] outPeaks = new Double[n];
    Long[] incidents = new Long[n];
    List<Long> peakIds = new ArrayList<>();
    List<Double> peaks = new ArrayList<>();
    int c = 0;
    for (Map.Entry<Excursions.ChannelKey, List<Reading>> e : channels.entrySet()) {
      Device device = byId.get(e.getKey().deviceId());
      Measure measure = e.getKey().measure();
      Excursions.Limits l = limits.getOrDefault(device.code() + "|" + measure, limits.get("|" + device.roomCode() + "|" + measure));
      Excursions.Channel ch = state.get(e.getKey());
      for (Reading r : e.getValue()) {
        if (ch == null) {
          ch = new Excursions.Channel(r.at(), r.value(), null, null, null);
        } else if (!r.at().isAfter(ch.lastAt)) {
          continue; // a late reading is stored, but the state has moved past it
        }
        Excursions.Step step = Excursions.step(ch, l, r.at(), r.value());
        if (step == Excursions.Step.RAISE) {
          ch.incidentId = raise(labCode, device, measure, ch, l, now);
          raised++;
        } else if (step == Excursions.Step.CLOSE) {
          close(labCode, device, measure, ch.incidentId, r.at());
          ch.incidentId = null;
          closed++;
        }
      }
      if (ch.incidentId != null && ch.peakChanged) {
        peakIds.add(ch.incidentId);
        peaks.add(ch.outPeak);
      }
      lastAts[c] = ReadingTimes.format(ch.lastAt);
      lastValues[c] = ch.lastValue;
      outSinces[c] = ch.outSince == null ? null : ReadingTimes.format(ch.outSince);
      outPeaks[c] = ch.outPeak;
      incidents[c] = ch.incidentId;
      c++;
    }
    if (!peakIds.isEmpty()) {
      jdbc.sql("update env_incidents i set peak = x.peak from unnest(?::bigint[], ?::float8[]) as x(id, peak) where i.id = x.id")
          .params(peakIds.toArray(Long[]::new), peaks.toArray(Double[]::new)).update();
    }
    // one upsert for all channels of the batch (it was one per channel: ~200 statements for 100 devices), in key order
    jdbc.sql("""
            insert into env_channels (device_id, measure, last_at, last_value, out_since, out_peak, incident_id)
            select * from unnest(?::int[], ?::smallint[], ?::timestamptz[], ?::float8[], ?::timestamptz[], ?::float8[], ?::bigint[])
            on conflict (device_id, measure) do update set last_at = excluded.last_at, last_value = excluded.last_value,
              out_since = excluded.out_since, out_peak = excluded.out_peak, incident_id = excluded.incident_id""")
        .params(ids, ms, lastAts, lastValues, outSinces, outPeaks, incidents).update();
    // a silent sensor that speaks again
    record Spoke(long incident, int device) {}
    List<Spoke> spoke = jdbc.sql("""
            update env_incidents i set ended_at = d.last_reading_at from env_devices d
            where i.device_id = d.id and i.kind = 'SILENT' and i.ended_at is null and d.id = any(?) returning i.id, i.device_id""")
        .param(byId.keySet().stream().mapToInt(Integer::intValue).toArray())
        .query((rs, i) -> new Spoke(rs.getLong(1), rs.getInt(2))).list();
    for (Spoke s : spoke) {
      alerts.clear(SILENT, silentSubject(labCode, byId.get(s.device()).code(), s.incident()), "The sensor reports again");
    }
    return new int[] {raised, closed};
  }

  private long raise(String labCode, Device device, Measure measure, Excursions.Channel ch, Excursions.Limits l, Instant now) {
    Double limit = ch.outPeak > (l.max() == null ? Double.MAX_VALUE : l.max()) ? l.max() : l.min();
    long id = jdbc.sql("""
            insert into env_incidents (lab_code, device_id, kind, measure, started_at, raised_at, peak, limit_value)
            values (?, ?, 'EXCURSION', ?, ?, ?, ?, ?) returning id""")
        .params(labCode, device.id(), measure.name(), utc(ch.outSince), utc(now), ch.outPeak, limit).query(Long.class).single();
    alerts.raise(EXCURSION, excursionSubject(labCode, device.code(), measure, id),
        "Lab " + labCode + " room " + device.roomCode() + " device " + device.code() + ": " + measure + " out of range since "
            + ch.outSince + " (limit " + limit + " " + measure.unit + ", reading " + ch.outPeak + ")");
    return id;
  }

  private void close(String labCode, Device device, Measure measure, long incidentId, Instant at) {
    jdbc.sql("update env_incidents set ended_at = ? where id = ? and ended_at is null").params(utc(at), incidentId).update();
    alerts.clear(EXCURSION, excursionSubject(labCode, device.code(), measure, incidentId), measure + " back in range at " + at);
  }

  static String excursionSubject(String lab, String device, Measure measure, long id) {
    return lab + "/" + device + "/" + measure + "#" + id;
  }

  static String silentSubject(String lab, String device, long id) {
    return lab + "/" + device + "#" + id;
  }

  /** The lab's limits, keyed {@code device|measure} and {@code |room|measure}. */
  private Map<String, Excursions.Limits> limits(String labCode) {
    Map<String, Excursions.Limits> out = new HashMap<>();
    jdbc.sql("select room_code, device_code, measure, min_value, max_value, grace_seconds from env_thresholds where lab_code = ?")
        .param(labCode)
        .query((rs, i) -> {
          Excursions.Limits l = new Excursions.Limits((Double) rs.getObject(4, Double.class), (Double) rs.getObject(5, Double.class),
              Duration.ofSeconds(rs.getInt(6)));
          String device = rs.getString(2);
          out.put(device.isEmpty() ? "|" + rs.getString(1) + "|" + rs.getString(3) : device + "|" + rs.getString(3), l);
          return l;
        }).list();
    return out;
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant i) {
    return i == null ? null : i.atOffset(ZoneOffset.UTC);
  }
}
