package org.epiloop.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.epiloop.alerts.Alerts;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.sampling.SiteSampling;
import org.epiloop.shared.ApiException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The command centre's figures. Day totals come from the stages' counters for the local day
 * (the city's zone); "now" figures — boxes in transport, lab backlogs, open tubes, the last
 * hour — from indexed current state. Every query reads at most a few rows per site, lab and
 * hour, however many persons the day had.
 */
@Service
@EnableConfigurationProperties(DashboardProperties.class)
class CommandCentre {

  static final List<String> LEGS = List.of("COLLECTION_RECEIPT", "RECEIPT_RELEASE", "COLLECTION_RELEASE");

  private final JdbcClient jdbc;
  private final Alerts alerts;
  private final DashboardProperties properties;
  private final ZoneId zone;
  private final Clock clock;

  CommandCentre(JdbcClient jdbc, Alerts alerts, DashboardProperties properties, EpiloopProperties epiloop, Clock clock) {
    this.jdbc = jdbc;
    this.alerts = alerts;
    this.properties = properties;
    this.zone = epiloop.zone();
    this.clock = clock;
  }

  /** Day totals of one district or (code null) the whole city; boxes in transport are current. */
  record Summary(String districtCode, LocalDate day, long personsSampled, long tubesSealed, long boxesInTransit,
      long tubesReceived, long tubesTested, long tubesReleased, long tubesRejected, long personsReported, long positives,
      long recalled) {}

  record District(String districtCode, String name, Summary figures) {}

  record Lab(String labCode, String name, String districtCode, Double latitude, Double longitude, long received,
      long tested, long released, long rejected, long backlog, Long oldestPendingMinutes, int dailyCapacity,
      double capacityUse, double ratePerHour, Double hoursToClear, long canFinishToday, boolean atRisk) {}

  record Site(String siteCode, String name, String districtCode, double latitude, double longitude, long sampledLastHour,
      long sampledToday, long tubesSealedToday, long openTubes, boolean slow) {}

  record Bin(int fromMinutes, int toMinutes, long count) {}

  record Leg(long count, Integer p50, Integer p90, Integer p99, List<Bin> histogram) {}

  record Turnaround(LocalDate day, Leg collectionToReceipt, Leg receiptToRelease, Leg collectionToRelease) {}

  record Hour(Instant hour, long sampled, long received, long released, long reported) {}

  record Trend(LocalDate day, String districtCode, List<Hour> hours) {}

  record PendingBox(String boxCode, String siteCode, long tubes, Instant oldestReceivedAt, long waitingMinutes) {}

  record PendingTube(String tubeCode, String boxCode, String state, Instant receivedAt, long waitingMinutes) {}

  record Pending(String labCode, long backlog, List<PendingBox> boxes, List<PendingTube> tubes) {}

  ZoneId zone() {
    return zone;
  }

  LocalDate today() {
    return LocalDate.now(clock.withZone(zone));
  }

  private OffsetDateTime start(LocalDate day) {
    return day.atStartOfDay(zone).toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
  }

  private OffsetDateTime end(LocalDate day) {
    return start(day.plusDays(1));
  }

  @Transactional(readOnly = true)
  Summary summary(String districtCode, LocalDate day) {
    if (districtCode != null) {
      requireDistrict(districtCode);
    }
    return summaryOf(districts(day), districtCode, day);
  }

  /** One district's totals (or, code null, the city's) out of the per-district figures. */
  static Summary summaryOf(List<District> all, String districtCode, LocalDate day) {
    if (districtCode == null) {
      return all.stream().map(District::figures).reduce(empty(null, day), CommandCentre::plus);
    }
    return all.stream().filter(d -> d.districtCode().equals(districtCode)).findFirst()
        .map(District::figures).orElse(empty(districtCode, day));
  }

  /** Day totals per district, three grouped queries over counters and the boxes in transport. */
  @Transactional(readOnly = true)
  List<District> districts(LocalDate day) {
    OffsetDateTime from = start(day);
    OffsetDateTime to = end(day);
    Map<String, long[]> figures = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    jdbc.sql("select code, name from districts order by code").query(rs -> {
      names.put(rs.getString(1), rs.getString(2));
      figures.put(rs.getString(1), new long[10]);
    });
    jdbc.sql("""
            select s.district_code, sum(ss.sampled), sum(ss.sealed)
            from site_sampling ss join sites s on s.code = ss.site_code
            where ss.bucket >= :from and ss.bucket < :to group by s.district_code""")
        .param("from", from).param("to", to)
        .query(rs -> {
          long[] f = figures.get(rs.getString(1));
          f[0] = rs.getLong(2);
          f[1] = rs.getLong(3);
        });
    jdbc.sql("""
            select s.district_code, count(*) from box_trips bt join sites s on s.code = bt.site_code
            where bt.status in ('SEALED','IN_TRANSIT','ARRIVED') group by s.district_code""")
        .query(rs -> {
          figures.get(rs.getString(1))[2] = rs.getLong(2);
        });
    List<String> metrics = List.of("RECEIVED", "TESTED", "RELEASED", "REJECTED", "REPORTED", "POSITIVE", "RECALLED");
    jdbc.sql("""
            select s.district_code, c.metric, sum(c.n) from stage_counts c join sites s on s.code = c.site_code
            where c.hour >= :from and c.hour < :to group by s.district_code, c.metric""")
        .param("from", from).param("to", to)
        .query(rs -> {
          int i = metrics.indexOf(rs.getString(2));
          if (i >= 0) {
            figures.get(rs.getString(1))[3 + i] = rs.getLong(3);
          }
        });
    List<District> out = new ArrayList<>();
    figures.forEach((code, f) -> out.add(new District(code, names.get(code),
        new Summary(code, day, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]))));
    return out;
  }

  @Transactional(readOnly = true)
  List<Site> sites(String districtCode, LocalDate day) {
    if (districtCode != null) {
      requireDistrict(districtCode);
    }
    Instant now = clock.instant();
    OffsetDateTime hourFrom = lastHourFrom(now);
    OffsetDateTime from = start(day);
    OffsetDateTime to = end(day);
    // the last hour is bounded above by now: a clock set back (or a test's shared clock) may face
    // buckets in its future, and those are not "the last hour"
    List<Site> rows = jdbc.sql("""
            select s.code, s.name, s.district_code, s.latitude, s.longitude,
                   coalesce(a.last_hour, 0), coalesce(a.today, 0), coalesce(a.sealed, 0), coalesce(o.open, 0)
            from sites s
            left join (select site_code,
                              sum(sampled) filter (where bucket >= :hourFrom and bucket <= :now) as last_hour,
                              sum(sampled) filter (where bucket >= :from and bucket < :to) as today,
                              sum(sealed) filter (where bucket >= :from and bucket < :to) as sealed
                       from site_sampling where bucket >= least(cast(:from as timestamptz), cast(:hourFrom as timestamptz))
                       group by site_code) a on a.site_code = s.code
            left join (select site_code, count(*) as open from tubes where status = 'OPEN' group by site_code) o
                   on o.site_code = s.code
            where cast(:district as text) is null or s.district_code = :district
            order by s.district_code, s.code""")
        .param("hourFrom", hourFrom).param("now", now.atOffset(ZoneOffset.UTC)).param("from", from)
        .param("to", to).param("district", districtCode)
        .query((rs, i) -> new Site(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5),
            rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), false))
        .list();
    // peers are the whole city's sites sampling in the last hour, also when one district is shown
    List<Long> peers = (districtCode == null ? rows : sites(null, day)).stream().map(Site::sampledLastHour)
        .filter(n -> n > 0).sorted().toList();
    double median = median(peers);
    boolean judge = peers.size() >= properties.slowMinPeers() && median >= properties.slowMinMedian();
    return rows.stream().map(s -> judge && operating(s) && s.sampledLastHour() < properties.slowFraction() * median
        ? new Site(s.siteCode(), s.name(), s.districtCode(), s.latitude(), s.longitude(), s.sampledLastHour(),
            s.sampledToday(), s.tubesSealedToday(), s.openTubes(), true)
        : s).toList();
  }

  /** One district's sites out of the city's (whose slow flags already compare with the whole city). */
  static List<Site> sitesOf(List<Site> city, String districtCode) {
    return districtCode == null ? city : city.stream().filter(s -> s.districtCode().equals(districtCode)).toList();
  }

  /** A site is working today if it sampled today and still has open tubes or sampled in the last hour. */
  private static boolean operating(Site s) {
    return s.sampledToday() > 0 && (s.openTubes() > 0 || s.sampledLastHour() > 0);
  }

  static double median(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
  }

  /** The last hour: the current 10-minute bucket and the five before it. */
  static OffsetDateTime lastHourFrom(Instant now) {
    return SiteSampling.bucket(now).minus(SiteSampling.BUCKET.multipliedBy(5)).atOffset(ZoneOffset.UTC);
  }

  @Transactional(readOnly = true)
  List<Lab> labs(LocalDate day) {
    Instant now = clock.instant();
    Instant rateFrom = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(1));
    double rateHours = Duration.between(rateFrom, now).toSeconds() / 3600.0;
    double remainingHours = Math.max(0, Duration.between(now, today().plusDays(1).atStartOfDay(zone).toInstant()).toSeconds() / 3600.0);
    record Row(String code, String name, String district, int capacity, Double lat, Double lon, long received, long tested,
        long released, long rejected, long recentTested, long backlog, OffsetDateTime oldest) {}
    List<Row> rows = jdbc.sql("""
            select l.code, l.name, l.district_code, l.daily_capacity, l.latitude, l.longitude,
                   coalesce(c.received, 0), coalesce(c.tested, 0), coalesce(c.released, 0), coalesce(c.rejected, 0),
                   coalesce(c.recent, 0), coalesce(p.backlog, 0), p.oldest
            from labs l
            left join (select lab_code,
                              sum(n) filter (where metric = 'RECEIVED' and hour >= :from and hour < :to) as received,
                              sum(n) filter (where metric = 'TESTED' and hour >= :from and hour < :to) as tested,
                              sum(n) filter (where metric = 'RELEASED' and hour >= :from and hour < :to) as released,
                              sum(n) filter (where metric = 'REJECTED' and hour >= :from and hour < :to) as rejected,
                              sum(n) filter (where metric = 'TESTED' and hour >= :rateFrom) as recent
                       from stage_counts
                       where metric in ('RECEIVED','TESTED','RELEASED','REJECTED')
                         and hour >= least(cast(:from as timestamptz), cast(:rateFrom as timestamptz))
                       group by lab_code) c on c.lab_code = l.code
            left join (select lab_code, count(*) as backlog, min(received_at) as oldest from lab_tubes
                       where state in ('WAITING','ON_PLATE','TESTED') group by lab_code) p on p.lab_code = l.code
            order by l.code""")
        .param("from", start(day)).param("to", end(day)).param("rateFrom", rateFrom.atOffset(ZoneOffset.UTC))
        .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            (Double) rs.getObject(5), (Double) rs.getObject(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
            rs.getLong(11), rs.getLong(12), rs.getObject(13, OffsetDateTime.class)))
        .list();
    List<Lab> out = new ArrayList<>();
    for (Row r : rows) {
      double rate = r.recentTested() / rateHours;
      Long oldest = r.oldest() == null ? null : Duration.between(r.oldest().toInstant(), now).toMinutes();
      Double toClear = r.backlog() == 0 ? Double.valueOf(0) : rate > 0 ? r.backlog() / rate : null;
      long canFinish = (long) Math.floor(rate * remainingHours);
      boolean atRisk = r.backlog() > 0 && oldest != null && oldest >= properties.backlogGrace().toMinutes()
          && r.backlog() > canFinish;
      out.add(new Lab(r.code(), r.name(), r.district(), r.lat(), r.lon(), r.received(), r.tested(), r.released(),
          r.rejected(), r.backlog(), oldest, r.capacity(), round2((double) r.received() / r.capacity()), round2(rate),
          toClear == null ? null : round2(toClear), canFinish, atRisk));
    }
    // the screen lists the labs most at risk first: at risk, then longest to clear, then oldest sample
    out.sort(Comparator.comparing((Lab l) -> !l.atRisk())
        .thenComparing((Lab l) -> l.hoursToClear() == null ? Double.MAX_VALUE : l.hoursToClear(), Comparator.reverseOrder())
        .thenComparing((Lab l) -> l.oldestPendingMinutes() == null ? -1 : l.oldestPendingMinutes(), Comparator.reverseOrder())
        .thenComparing(Lab::labCode));
    return out;
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  @Transactional(readOnly = true)
  Pending pending(String labCode) {
    boolean exists = jdbc.sql("select exists (select 1 from labs where code = ?)").param(labCode).query(Boolean.class).single();
    if (!exists) {
      throw ApiException.notFound("LAB_NOT_FOUND", "No lab " + labCode);
    }
    Instant now = clock.instant();
    long backlog = jdbc.sql("select count(*) from lab_tubes where lab_code = ? and state in ('WAITING','ON_PLATE','TESTED')")
        .param(labCode).query(Long.class).single();
    List<PendingTube> tubes = jdbc.sql("""
            select lt.tube_code, bt.box_code, lt.state, lt.received_at
            from lab_tubes lt join box_trips bt on bt.id = lt.trip_id
            where lt.lab_code = ? and lt.state in ('WAITING','ON_PLATE','TESTED')
            order by lt.received_at, lt.tube_code limit 50""")
        .param(labCode)
        .query((rs, i) -> {
          Instant at = rs.getObject(4, OffsetDateTime.class).toInstant();
          return new PendingTube(rs.getString(1), rs.getString(2), rs.getString(3), at, Duration.between(at, now).toMinutes());
        })
        .list();
    // the boxes of the oldest pending tubes (at most the 2,000 oldest are looked at)
    List<PendingBox> boxes = jdbc.sql("""
            select bt.box_code, bt.site_code, count(*), min(o.received_at)
            from (select trip_id, received_at from lab_tubes
                  where lab_code = ? and state in ('WAITING','ON_PLATE','TESTED')
                  order by received_at limit 2000) o
            join box_trips bt on bt.id = o.trip_id
            group by bt.box_code, bt.site_code order by min(o.received_at), bt.box_code limit 20""")
        .param(labCode)
        .query((rs, i) -> {
          Instant at = rs.getObject(4, OffsetDateTime.class).toInstant();
          return new PendingBox(rs.getString(1), rs.getString(2), rs.getLong(3), at, Duration.between(at, now).toMinutes());
        })
        .list();
    return new Pending(labCode, backlog, boxes, tubes);
  }

  @Transactional(readOnly = true)
  Turnaround turnaround(LocalDate day) {
    Map<String, List<long[]>> byLeg = new LinkedHashMap<>();
    LEGS.forEach(l -> byLeg.put(l, new ArrayList<>()));
    jdbc.sql("select leg, minutes, sum(n) from turnaround_counts where day = ? group by leg, minutes order by leg, minutes")
        .param(day)
        .query(rs -> {
          List<long[]> rows = byLeg.get(rs.getString(1));
          if (rows != null) {
            rows.add(new long[] {rs.getInt(2), rs.getLong(3)});
          }
        });
    return new Turnaround(day, leg(byLeg.get("COLLECTION_RECEIPT")), leg(byLeg.get("RECEIPT_RELEASE")),
        leg(byLeg.get("COLLECTION_RELEASE")));
  }

  /** Percentiles by nearest rank over whole minutes, and a histogram in 30-minute bins. */
  static Leg leg(List<long[]> rows) {
    long total = rows.stream().mapToLong(r -> r[1]).sum();
    if (total == 0) {
      return new Leg(0, null, null, null, List.of());
    }
    Integer[] p = new Integer[3];
    double[] q = {0.50, 0.90, 0.99};
    long seen = 0;
    Map<Integer, Long> bins = new LinkedHashMap<>();
    for (long[] r : rows) {
      seen += r[1];
      for (int i = 0; i < 3; i++) {
        if (p[i] == null && seen >= (long) Math.ceil(q[i] * total)) {
          p[i] = (int) r[0];
        }
      }
      bins.merge((int) (r[0] / 30) * 30, r[1], Long::sum);
    }
    List<Bin> histogram = bins.entrySet().stream().map(e -> new Bin(e.getKey(), e.getKey() + 30, e.getValue())).toList();
    return new Leg(total, p[0], p[1], p[2], histogram);
  }

  @Transactional(readOnly = true)
  Trend trend(String districtCode, LocalDate day) {
    if (districtCode != null) {
      requireDistrict(districtCode);
    }
    OffsetDateTime from = start(day);
    OffsetDateTime to = end(day);
    Map<Instant, long[]> hours = new LinkedHashMap<>();
    for (OffsetDateTime h = from; h.isBefore(to); h = h.plusHours(1)) {
      hours.put(h.toInstant(), new long[4]);
    }
    jdbc.sql("""
            select date_trunc('hour', ss.bucket at time zone 'UTC') at time zone 'UTC', sum(ss.sampled)
            from site_sampling ss join sites s on s.code = ss.site_code
            where ss.bucket >= :from and ss.bucket < :to and (cast(:district as text) is null or s.district_code = :district)
            group by 1""")
        .param("from", from).param("to", to).param("district", districtCode)
        .query((RowCallbackHandler) rs -> add(hours, rs.getObject(1, OffsetDateTime.class), 0, rs.getLong(2)));
    jdbc.sql("""
            select c.hour, c.metric, sum(c.n) from stage_counts c join sites s on s.code = c.site_code
            where c.hour >= :from and c.hour < :to and c.metric in ('RECEIVED','RELEASED','REPORTED')
              and (cast(:district as text) is null or s.district_code = :district)
            group by c.hour, c.metric""")
        .param("from", from).param("to", to).param("district", districtCode)
        .query((RowCallbackHandler) rs -> add(hours, rs.getObject(1, OffsetDateTime.class),
            switch (rs.getString(2)) {
              case "RECEIVED" -> 1;
              case "RELEASED" -> 2;
              default -> 3;
            }, rs.getLong(3)));
    List<Hour> out = new ArrayList<>();
    hours.forEach((h, v) -> out.add(new Hour(h, v[0], v[1], v[2], v[3])));
    return new Trend(day, districtCode, out);
  }

  private static void add(Map<Instant, long[]> hours, OffsetDateTime hour, int i, long n) {
    long[] v = hours.get(hour.toInstant());
    if (v != null) {
      v[i] += n;
    }
  }

  /** Stored alerts and overdue boxes, with the computed LAB_BACKLOG and SITE_SLOW; newest first. */
  @Transactional(readOnly = true)
  List<Alerts.Alert> alerts() {
    return alerts(storedAlerts(), labs(today()), sites(null, today()));
  }

  /** Stored alerts and overdue boxes. */
  List<Alerts.Alert> storedAlerts() {
    return alerts.open();
  }

  /** The stored alerts with LAB_BACKLOG and SITE_SLOW computed from today's lab and (city-wide) site figures. */
  List<Alerts.Alert> alerts(List<Alerts.Alert> stored, List<Lab> labsToday, List<Site> sitesToday) {
    Instant now = clock.instant();
    List<Alerts.Alert> out = new ArrayList<>(stored);
    for (Lab l : labsToday) {
      if (l.atRisk()) {
        out.add(new Alerts.Alert("LAB_BACKLOG", l.labCode(), now.minus(Duration.ofMinutes(l.oldestPendingMinutes())),
            "Lab " + l.labCode() + " has " + l.backlog() + " tubes waiting (oldest " + l.oldestPendingMinutes()
                + " min); at " + l.ratePerHour() + " tubes/h it can finish about " + l.canFinishToday() + " of them today"));
      }
    }
    for (Site s : sitesToday) {
      if (s.slow()) {
        out.add(new Alerts.Alert("SITE_SLOW", s.siteCode(), lastHourFrom(now).toInstant(),
            "Site " + s.siteCode() + " sampled " + s.sampledLastHour() + " persons in the last hour, well below its peers"
                + " (" + s.openTubes() + " tubes open)"));
      }
    }
    out.sort(Comparator.comparing(Alerts.Alert::since).reversed());
    return out;
  }

  void requireDistrict(String code) {
    boolean exists = jdbc.sql("select exists (select 1 from districts where code = ?)").param(code).query(Boolean.class).single();
    if (!exists) {
      throw ApiException.notFound("DISTRICT_NOT_FOUND", "No district " + code);
    }
  }

  private static Summary empty(String district, LocalDate day) {
    return new Summary(district, day, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  private static Summary plus(Summary a, Summary b) {
    return new Summary(a.districtCode(), a.day(), a.personsSampled() + b.personsSampled(), a.tubesSealed() + b.tubesSealed(),
        a.boxesInTransit() + b.boxesInTransit(), a.tubesReceived() + b.tubesReceived(), a.tubesTested() + b.tubesTested(),
        a.tubesReleased() + b.tubesReleased(), a.tubesRejected() + b.tubesRejected(), a.personsReported() + b.personsReported(),
        a.positives() + b.positives(), a.recalled() + b.recalled());
  }
}
