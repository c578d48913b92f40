package org.epiloop.simulator.bench;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.data.ChineseNames;
import org.epiloop.simulator.data.IdNumberGenerator;

/**
 * The tube-binding benchmark. Sets up a district, sites and one collector per site through the
 * admin API, then runs closed-loop collection terminals: open a tube, bind {@code capacity}
 * distinct persons by ID card, the last binding seals the tube, open the next tube.
 */
final class BindBench {

  record Config(String url, String adminPassword, int clients, int warmupSeconds, int durationSeconds, int sites,
      int capacity, Long serverPid, String commandLine) {}

  record Collector(String username, String siteCode, String token) {}

  enum Phase { WARMUP, MEASURED, AFTER }

  /** Per error key: counts per phase and one example detail. */
  static final class ErrorCount {
    final long[] byPhase = new long[Phase.values().length];
    String example;
  }

  /** Everything the report needs. */
  static final class Result {
    Config config;
    String runPrefix;
    Instant startedAt;
    Instant measuredFrom;
    Instant measuredTo;
    double measuredSeconds;
    String districtCode;
    List<Collector> collectors;
    Histogram bind;
    Histogram open;
    long bindsMeasured;
    long opensMeasured;
    long sealedMeasured;
    long bindsWarmup;
    long bindsTotal;
    long opensTotal;
    long idsIssued;
    Map<String, ErrorCount> errors = new TreeMap<>();
    ServerMonitor.CpuSnapshot cpuFrom;
    ServerMonitor.CpuSnapshot cpuTo;
    long serverPeakRssKb = -1;
    long serverPeakRssMeasuredKb = -1;
    long serverHwmKb = -1;
    long serverRssEndKb = -1;
    int rssSamples;
    Map<Long, String> databaseProcesses = Map.of();
  }

  private static final long HIGHEST_MICROS = Duration.ofMinutes(2).toNanos() / 1000;
  private static final Set<String> TUBE_LOST = Set.of("TUBE_SEALED", "TUBE_NOT_FOUND", "OUT_OF_SCOPE");

  private final Config config;
  private final EpiloopClient client;
  private final String runPrefix;
  private final long seed;
  private final IdNumberGenerator ids;
  private final AtomicLong tubeCounter = new AtomicLong();
  private final LongAdder progressBinds = new LongAdder();
  private final LongAdder progressErrors = new LongAdder();
  private final Map<String, String> errorExamples = new ConcurrentHashMap<>();

  private volatile long measureStart = Long.MAX_VALUE;
  private volatile long measureEnd = Long.MAX_VALUE;
  private volatile boolean stop;

  BindBench(Config config) {
    this.config = config;
    this.client = new EpiloopClient(java.net.URI.create(config.url()), Duration.ofSeconds(10), Duration.ofSeconds(60));
    SecureRandom sr = new SecureRandom();
    this.seed = sr.nextLong();
    this.runPrefix = randomPrefix(sr);
    this.ids = new IdNumberGenerator(seed);
  }

  /** 6 characters of [a-z0-9], starting with a letter: valid in codes, usernames and tube codes. */
  static String randomPrefix(java.util.Random r) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    String alnum = letters + "0123456789";
    StringBuilder b = new StringBuilder().append(letters.charAt(r.nextInt(letters.length())));
    for (int i = 1; i < 6; i++) {
      b.append(alnum.charAt(r.nextInt(alnum.length())));
    }
    return b.toString();
  }

  Result run() throws InterruptedException {
    Result result = new Result();
    result.config = config;
    result.runPrefix = runPrefix;
    result.startedAt = Instant.now();

    log("run prefix %s; setting up against %s", runPrefix, client.base());
    setUp(result);

    ServerMonitor monitor = null;
    if (config.serverPid() != null) {
      monitor = new ServerMonitor(config.serverPid());
      monitor.start();
    }

    List<Worker> workers = new ArrayList<>();
    for (int i = 0; i < config.clients(); i++) {
      workers.add(new Worker(i, result.collectors.get(i % result.collectors.size())));
    }
    long t0 = System.nanoTime();
    measureStart = t0 + Duration.ofSeconds(config.warmupSeconds()).toNanos();
    measureEnd = measureStart + Duration.ofSeconds(config.durationSeconds()).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (Worker w : workers) {
      Thread t = new Thread(w, "terminal-" + w.index);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    log("%d terminals running: warm-up %d s, then a measured phase of %d s", config.clients(), config.warmupSeconds(),
        config.durationSeconds());

    boolean measuringFlagged = false;
    long lastTick = t0;
    long lastBinds = 0;
    long nextTick = t0 + 5_000_000_000L;
    while (true) {
      long now = System.nanoTime();
      if (!measuringFlagged && now >= measureStart) {
        measuringFlagged = true;
        if (config.serverPid() != null) {
          result.databaseProcesses = ProcStats.databaseProcesses(config.serverPid());
        }
        result.cpuFrom = ServerMonitor.CpuSnapshot.take(pidOrZero(), result.databaseProcesses.keySet());
        result.measuredFrom = Instant.now();
        if (monitor != null) {
          monitor.measuring(true);
        }
        log("measured phase starts now (%d s)", config.durationSeconds());
      }
      if (now >= measureEnd) {
        if (config.serverPid() != null) {
          Map<Long, String> more = new TreeMap<>(result.databaseProcesses);
          more.putAll(ProcStats.databaseProcesses(config.serverPid()));
          result.databaseProcesses = more;
        }
        result.cpuTo = ServerMonitor.CpuSnapshot.take(pidOrZero(), result.databaseProcesses.keySet());
        result.measuredTo = Instant.now();
        if (monitor != null) {
          monitor.measuring(false);
        }
        break;
      }
      if (now >= nextTick) {
        long binds = progressBinds.sum();
        double rate = (binds - lastBinds) / ((now - lastTick) / 1e9);
        log("%s t=%3ds  bindings/s %8.1f  bindings %9d  errors %d", now < measureStart ? "warm-up " : "measured",
            Math.round((now - t0) / 1e9), rate, binds, progressErrors.sum());
        lastBinds = binds;
        lastTick = now;
        nextTick += 5_000_000_000L;
      }
      long sleepUntil = Math.min(nextTick, measuringFlagged ? measureEnd : measureStart);
      long sleepNanos = Math.max(1_000_000L, Math.min(sleepUntil - now, 200_000_000L));
      Thread.sleep(sleepNanos / 1_000_000L, (int) (sleepNanos % 1_000_000L));
    }
    stop = true;
    for (Thread t : threads) {
      t.join(70_000);
    }
    result.measuredSeconds = (measureEnd - measureStart) / 1e9;

    if (monitor != null) {
      monitor.close();
      result.serverPeakRssKb = monitor.peakRssKb();
      result.serverPeakRssMeasuredKb = monitor.peakRssMeasuredKb();
      result.serverHwmKb = monitor.hwmKb().orElse(-1);
      result.serverRssEndKb = monitor.rssKb().orElse(-1);
      result.rssSamples = monitor.samples();
    }

    result.bind = new Histogram(HIGHEST_MICROS, 3);
    result.open = new Histogram(HIGHEST_MICROS, 3);
    for (Worker w : workers) {
      result.bind.add(w.bindHist);
      result.open.add(w.openHist);
      result.bindsMeasured += w.bindsMeasured;
      result.opensMeasured += w.opensMeasured;
      result.sealedMeasured += w.sealedMeasured;
      result.bindsWarmup += w.bindsWarmup;
      result.bindsTotal += w.bindsTotal;
      result.opensTotal += w.opensTotal;
      w.errors.forEach((k, v) -> {
        ErrorCount e = result.errors.computeIfAbsent(k, x -> new ErrorCount());
        for (int i = 0; i < v.length; i++) {
          e.byPhase[i] += v[i];
        }
      });
    }
    result.errors.forEach((k, e) -> e.example = errorExamples.get(k));
    result.idsIssued = ids.issued();
    return result;
  }

  private long pidOrZero() {
    return config.serverPid() == null ? 0 : config.serverPid();
  }

  private void setUp(Result result) {
    String admin = client.login("admin", config.adminPassword());
    String district = "bb-" + runPrefix;
    client.create("/api/v1/districts", admin, map("code", district, "name", "Bench district " + runPrefix));
    result.districtCode = district;

    SplittableRandom random = new SplittableRandom(seed);
    String password = "pw-" + UUID.randomUUID();
    List<Collector> collectors = new ArrayList<>();
    for (int i = 1; i <= config.sites(); i++) {
      String site = String.format(Locale.ROOT, "%s-s%02d", district, i);
      // Around Suqian (region 321302), a few km apart.
      double lat = 33.96 + random.nextDouble(-0.05, 0.05);
      double lon = 118.28 + random.nextDouble(-0.05, 0.05);
      client.create("/api/v1/sites", admin,
          map("code", site, "name", "Bench site " + runPrefix + " #" + i, "districtCode", district, "latitude", lat,
              "longitude", lon));
      String username = String.format(Locale.ROOT, "%s-c%02d", district, i);
      client.create("/api/v1/admin/users", admin,
          map("username", username, "password", password, "role", "COLLECTOR", "siteCode", site));
      collectors.add(new Collector(username, site, client.login(username, password)));
    }
    result.collectors = collectors;
    log("created district %s, %d sites and %d collectors, all logged in", district, config.sites(), collectors.size());
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private Phase phaseAt(long nanos) {
    if (nanos < measureStart) {
      return Phase.WARMUP;
    }
    return nanos <= measureEnd ? Phase.MEASURED : Phase.AFTER;
  }

  static void log(String format, Object... args) {
    System.err.printf(Locale.ROOT, "[bind-bench %tT] " + format + "%n", prepend(Instant.now().atZone(java.time.ZoneId.systemDefault()), args));
  }

  private static Object[] prepend(Object first, Object[] rest) {
    Object[] all = new Object[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  /** A version-4 UUID from a non-blocking source (the key only has to be unique, not secret). */
  static UUID fastUuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** One collection terminal: a closed loop of open-tube, bind x capacity. */
  private final class Worker implements Runnable {
    final int index;
    final Collector collector;
    final Histogram bindHist = new Histogram(HIGHEST_MICROS, 3);
    final Histogram openHist = new Histogram(HIGHEST_MICROS, 3);
    final Map<String, long[]> errors = new HashMap<>();
    long bindsMeasured;
    long opensMeasured;
    long sealedMeasured;
    long bindsWarmup;
    long bindsTotal;
    long opensTotal;

    Worker(int index, Collector collector) {
      this.index = index;
      this.collector = collector;
    }

    @Override
    public void run() {
      try {
        loop();
      } catch (RuntimeException e) {
        error("worker", "crash " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()), System.nanoTime());
      }
    }

    private void loop() {
      SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
      String bindPathFormat = "/api/v1/tubes/%s/bindings";
      while (!stop) {
        String tubeCode = "t" + runPrefix + "-" + Long.toString(tubeCounter.incrementAndGet(), 36);
        long s = System.nanoTime();
        ApiResponse r = client.post("/api/v1/tubes", collector.token(), map("tubeCode", tubeCode, "capacity", config.capacity()));
        long e = System.nanoTime();
        Phase phase = phaseAt(e);
        if (r.status() != 201) {
          error("open", r.errorKey(), r.detail(), e);
          backOffIfBroken(r);
          continue;
        }
        opensTotal++;
        if (phase == Phase.MEASURED) {
          openHist.recordValue(Math.min((e - s) / 1000, HIGHEST_MICROS));
          opensMeasured++;
        }
        String path = String.format(Locale.ROOT, bindPathFormat, tubeCode);
        int bound = 0;
        while (bound < config.capacity() && !stop) {
          Map<String, Object> body = map("idType", "CN_ID", "idNumber", ids.next(), "name", ChineseNames.next(random));
          s = System.nanoTime();
          r = client.post(path, collector.token(), body, Map.of("Idempotency-Key", fastUuid().toString()));
          e = System.nanoTime();
          phase = phaseAt(e);
          if (r.status() != 201) {
            error("bind", r.errorKey(), r.detail(), e);
            if (r.code() != null && TUBE_LOST.contains(r.code())) {
              break; // this tube cannot take more: open a new one
            }
            backOffIfBroken(r);
            continue; // next person, same tube
          }
          bound++;
          bindsTotal++;
          progressBinds.increment();
          boolean sealed = "SEALED".equals(r.text("tubeStatus"));
          if (phase == Phase.MEASURED) {
            bindHist.recordValue(Math.min((e - s) / 1000, HIGHEST_MICROS));
            bindsMeasured++;
            if (sealed) {
              sealedMeasured++;
            }
          } else if (phase == Phase.WARMUP) {
            bindsWarmup++;
          }
          if (bound == config.capacity() && !sealed) {
            error("bind", "201 full tube not SEALED", "tubeStatus=" + r.text("tubeStatus") + " at count " + bound, e);
          } else if (bound < config.capacity() && sealed) {
            error("bind", "201 SEALED early", "tube sealed at count " + bound, e);
            break;
          }
        }
      }
    }

    private void error(String op, String key, String detail, long at) {
      String k = op + " " + key;
      errors.computeIfAbsent(k, x -> new long[Phase.values().length])[phaseAt(at).ordinal()]++;
      progressErrors.increment();
      if (detail != null) {
        errorExamples.putIfAbsent(k, detail.length() > 200 ? detail.substring(0, 200) + "…" : detail);
      }
    }

    /** Transport failures and 5xx: pause briefly so a dead server is not hammered in a hot loop. */
    private void backOffIfBroken(ApiResponse r) {
      if (r.isTransportFailure() || r.status() >= 500 || r.status() == 401 || r.status() == 429) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          stop = true;
        }
      }
    }
  }
}
