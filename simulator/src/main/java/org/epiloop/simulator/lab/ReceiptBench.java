package org.epiloop.simulator.lab;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;

/**
 * The lab-receipt benchmark. Setup (not measured): a district, sites with collectors, a lab with
 * one technician per bench and couriers; {@code tubes} single tubes filled, packed per site into
 * boxes of {@code boxSize}, sealed, handed over and delivered to the lab. Measured: {@code benches}
 * bench threads, each repeatedly taking the next box from a shared queue, opening it, scanning every
 * tube it holds and closing it. The first 10% of the tube scans are warm-up; throughput and the
 * scan latency percentiles are taken over the rest.
 */
final class ReceiptBench {

  record Config(String url, String adminPassword, int benches, int tubes, int boxSize, int sites, int fillers,
      int couriers, Long serverPid, String commandLine) {}

  /** Everything the report needs. */
  static final class Result {
    Config config;
    String runPrefix;
    String labCode;
    Instant startedAt;
    double setupDirectorySeconds;
    double setupFillSeconds;
    double setupShipSeconds;
    double setupSeconds;
    int boxes;
    long tubesShipped;
    long idsIssued;
    List<Errors.Line> setupErrors;

    Instant phaseFrom;
    Instant phaseTo;
    Instant measuredFrom;
    double phaseSeconds;
    double measuredSeconds;
    double steadySeconds;
    long warmupScans;
    long scanAttempts;
    long scansReceived;
    long scansMeasured;
    long steadyScans;
    long boxesClosed;
    long boxesClosedMeasured;
    Latency scanMeasured;
    Latency scanAll;
    Latency open;
    Latency close;
    Latency box;
    List<Errors.Line> errors;
    Resources resources;
    Resources.Window wholeWindow;
    Resources.Window measuredWindow;
  }

  private final Config config;
  private final Log log = new Log("receipt-bench");
  private final EpiloopClient client;
  private final Codes codes;
  private final long seed;

  private final Errors errors = new Errors();
  private final AtomicLong scanSeq = new AtomicLong();
  private final AtomicLong lastScanEnd = new AtomicLong(Long.MIN_VALUE);
  private final LongAdder scansReceived = new LongAdder();
  private final LongAdder scansMeasured = new LongAdder();
  private final LongAdder boxesClosed = new LongAdder();
  private final LongAdder boxesClosedMeasured = new LongAdder();
  private final Latency scanMeasured = new Latency();
  private final Latency scanAll = new Latency();
  private final Latency open = new Latency();
  private final Latency close = new Latency();
  private final Latency boxWall = new Latency();

  private volatile long measureStart = Long.MAX_VALUE;
  private volatile long steadyEnd = Long.MAX_VALUE;
  private volatile Resources.Snapshot measuredFrom;
  private long warmupScans;
  private long steadyEndScan;
  private Resources resources;

  ReceiptBench(Config config) {
    this.config = config;
    this.client = new EpiloopClient(URI.create(config.url()), Duration.ofSeconds(10), Duration.ofSeconds(120));
    SecureRandom sr = new SecureRandom();
    this.seed = sr.nextLong();
    this.codes = new Codes("rb", Codes.randomPrefix(sr));
  }

  Result run() throws InterruptedException {
    Result result = new Result();
    result.config = config;
    result.runPrefix = codes.prefix();
    result.labCode = codes.lab();
    result.startedAt = Instant.now();
    resources = new Resources(config.serverPid());
    resources.start();

    // ---- setup, not measured ----
    log.info("run prefix %s; setting up against %s", codes.prefix(), client.base());
    long s0 = System.nanoTime();
    Fixture fixture = new Fixture(client, codes, log, seed);
    fixture.directory(config.adminPassword(), config.sites(), config.couriers(), config.benches(), 0);
    result.setupDirectorySeconds = (System.nanoTime() - s0) / 1e9;
    log.info("filling %d single tubes (capacity 1) with %d threads", config.tubes(), config.fillers());
    List<List<String>> bySite = fixture.fillTubes(config.tubes(), 1, config.fillers());
    result.setupFillSeconds = (System.nanoTime() - s0) / 1e9 - result.setupDirectorySeconds;
    log.info("packing boxes of %d, sealing, handing over and delivering to %s", config.boxSize(), codes.lab());
    List<Fixture.Box> boxes = fixture.packAndShip(bySite, config.boxSize(), Math.min(config.fillers(), 32));
    result.setupSeconds = (System.nanoTime() - s0) / 1e9;
    result.setupShipSeconds = result.setupSeconds - result.setupFillSeconds - result.setupDirectorySeconds;
    result.boxes = boxes.size();
    result.tubesShipped = boxes.stream().mapToLong(b -> b.tubes().size()).sum();
    result.idsIssued = fixture.idsIssued();
    result.setupErrors = fixture.errors().lines();
    log.info("setup done in %.1f s: %d boxes with %d tubes waiting at %s", result.setupSeconds, boxes.size(),
        result.tubesShipped, codes.lab());

    // ---- measured ----
    warmupScans = result.tubesShipped / 10;
    steadyEndScan = result.tubesShipped * 9 / 10;
    ConcurrentLinkedQueue<Fixture.Box> queue = new ConcurrentLinkedQueue<>(boxes);
    resources.refreshDatabase();
    Resources.Snapshot phaseFrom = resources.snapshot();
    long t0 = System.nanoTime();
    if (warmupScans == 0) {
      startMeasuring(t0);
    }
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < config.benches(); i++) {
      Fixture.User tech = fixture.techs().get(i);
      Thread t = new Thread(() -> bench(tech, queue), "bench-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    log.info("%d benches receiving %d boxes (%d tubes); the first %d scans are warm-up", config.benches(), boxes.size(),
        result.tubesShipped, warmupScans);
    long lastTick = t0;
    long lastScans = 0;
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(500);
        long now = System.nanoTime();
        if (now - lastTick >= 5_000_000_000L) {
          long scans = scanSeq.get();
          log.info("%s t=%3ds  scans/s %7.1f  scans %7d/%d  boxes closed %4d/%d  errors %d",
              now < measureStart ? "warm-up " : "measured", Math.round((now - t0) / 1e9),
              (scans - lastScans) / ((now - lastTick) / 1e9), scans, result.tubesShipped, boxesClosed.sum(), boxes.size(),
              errors.total());
          lastTick = now;
          lastScans = scans;
        }
      }
    }
    long t1 = System.nanoTime();
    resources.measuring(false);
    resources.refreshDatabase();
    Resources.Snapshot phaseTo = resources.snapshot();
    resources.close();

    result.phaseFrom = phaseFrom.at();
    result.phaseTo = phaseTo.at();
    result.phaseSeconds = (t1 - t0) / 1e9;
    long last = lastScanEnd.get();
    if (measuredFrom != null && last > measureStart) {
      result.measuredFrom = measuredFrom.at();
      result.measuredSeconds = (last - measureStart) / 1e9;
      result.measuredWindow = new Resources.Window("measured (after the warm-up scans, to the end)", measuredFrom, phaseTo);
    }
    if (steadyEnd != Long.MAX_VALUE && steadyEnd > measureStart) {
      result.steadySeconds = (steadyEnd - measureStart) / 1e9;
      result.steadyScans = steadyEndScan - warmupScans;
    }
    result.wholeWindow = new Resources.Window("whole receipt phase (incl. warm-up)", phaseFrom, phaseTo);
    result.warmupScans = warmupScans;
    result.scanAttempts = scanSeq.get();
    result.scansReceived = scansReceived.sum();
    result.scansMeasured = scansMeasured.sum();
    result.boxesClosed = boxesClosed.sum();
    result.boxesClosedMeasured = boxesClosedMeasured.sum();
    result.scanMeasured = scanMeasured;
    result.scanAll = scanAll;
    result.open = open;
    result.close = close;
    result.box = boxWall;
    result.errors = errors.lines();
    result.resources = resources;
    return result;
  }

  private synchronized void startMeasuring(long at) {
    if (measuredFrom == null) {
      resources.measuring(true);
      measuredFrom = resources.snapshot();
      measureStart = at;
    }
  }

  private void bench(Fixture.User tech, ConcurrentLinkedQueue<Fixture.Box> queue) {
    String base = "/api/v1/labs/" + codes.lab() + "/receipts";
    Fixture.Box box;
    while ((box = queue.poll()) != null) {
      try {
        receive(tech, base, box);
      } catch (RuntimeException e) {
        errors.add("bench", "crash " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
      }
    }
  }

  private void receive(Fixture.User tech, String base, Fixture.Box box) {
    long b0 = System.nanoTime();
    ApiResponse r = client.post(base, tech.token(), Fixture.map("boxCode", box.boxCode()));
    long b1 = System.nanoTime();
    open.record(b0, b1);
    if (r.status() != 200) {
      errors.add("open", r, "box " + box.boxCode());
      return;
    }
    Set<String> expected = new HashSet<>();
    r.body().path("expectedTubes").forEach(n -> expected.add(n.asText()));
    if (!expected.equals(new HashSet<>(box.tubes()))) {
      errors.add("open", "200 expectedTubes differ from the packed tubes", "box " + box.boxCode() + ": packed "
          + box.tubes().size() + ", expected " + expected.size());
    }
    String scanPath = base + "/" + box.boxCode() + "/tubes";
    for (String tube : box.tubes()) {
      long s = System.nanoTime();
      r = client.post(scanPath, tech.token(), Fixture.map("tubeCode", tube));
      long e = System.nanoTime();
      long seq = scanSeq.incrementAndGet();
      lastScanEnd.accumulateAndGet(e, Math::max);
      if (seq == warmupScans) {
        startMeasuring(e);
      }
      if (seq == steadyEndScan) {
        steadyEnd = e;
      }
      if (r.status() == 200 && "RECEIVED".equals(r.text("status"))) {
        scansReceived.increment();
        scanAll.record(s, e);
        if (seq > warmupScans) {
          scanMeasured.record(s, e);
          scansMeasured.increment();
        }
      } else if (r.status() == 200) {
        errors.add("scan", "200 " + r.text("status"), "tube " + tube + " of box " + box.boxCode());
      } else {
        errors.add("scan", r, "tube " + tube);
      }
    }
    long c0 = System.nanoTime();
    r = client.post(base + "/" + box.boxCode() + "/close", tech.token(), Map.of());
    long c1 = System.nanoTime();
    close.record(c0, c1);
    boxWall.record(b0, c1);
    if (r.status() != 200) {
      errors.add("close", r, "box " + box.boxCode());
      return;
    }
    boxesClosed.increment();
    if (c1 > measureStart) {
      boxesClosedMeasured.increment();
    }
    int received = r.body().path("received").asInt(-1);
    int missing = r.body().path("missing").size();
    int unexpected = r.body().path("unexpected").size();
    int rejected = r.body().path("rejected").size();
    if (received != box.tubes().size() || missing + unexpected + rejected > 0) {
      errors.add("close", "200 discrepancies", "box " + box.boxCode() + " of " + box.tubes().size() + ": " + r.body());
    }
  }
}
