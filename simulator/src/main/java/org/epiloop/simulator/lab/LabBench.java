package org.epiloop.simulator.lab;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;

/**
 * The lab run benchmark. Setup (not measured): sites with collectors, couriers, a lab with
 * technicians; {@code plates × 94} tubes of capacity {@code pool} filled, packed, shipped and
 * received at the lab. Measured phase A: {@code runners} technicians load plate after plate (94 tubes,
 * positive control H11, negative control H12) and post the instrument CSV, all negative, so the
 * server auto-releases each run. Measured phase B: from the first CSV POST until every run's person
 * results exist ({@code GET /api/v1/results/runs/{runId}} reports {@code persons = tubes × pool}),
 * polled every {@code pollMillis} per run.
 */
final class LabBench {

  record Config(String url, String adminPassword, int plates, int pool, int runners, int sites, int fillers, int boxSize,
      int couriers, int pollMillis, int timeoutSeconds, Long serverPid, String commandLine) {}

  /** One plate through the measured phases. */
  static final class Run {
    final int plate;
    final String plateCode;
    final int tubes;
    final long expectedPersons;
    String runId;
    long createStart;
    long csvStart;
    long csvEnd;
    volatile long completeAt = -1;
    volatile long persons = -1;
    volatile boolean gaveUp;
    volatile boolean released;
    int polls;

    Run(int plate, String plateCode, int tubes, long expectedPersons) {
      this.plate = plate;
      this.plateCode = plateCode;
      this.tubes = tubes;
      this.expectedPersons = expectedPersons;
    }
  }

  /** Everything the report needs. */
  static final class Result {
    Config config;
    String runPrefix;
    String labCode;
    Instant startedAt;
    double setupDirectorySeconds;
    double setupFillSeconds;
    double setupShipSeconds;
    double setupReceiveSeconds;
    double setupSeconds;
    int tubes;
    int boxes;
    long idsIssued;
    List<Errors.Line> setupErrors;

    Instant phaseAFrom;
    Instant phaseATo;
    Instant phaseBTo;
    double phaseASeconds;
    double phaseBSeconds;
    double drainSeconds;
    long runsCreated;
    long runsReleased;
    long runsComplete;
    long tubesReleased;
    long personsExpected;
    long personsComplete;
    Latency create;
    Latency csv;
    Latency poll;
    Latency releaseLag;
    Latency sinceFirstCsv;
    List<Run> runs;
    List<Errors.Line> errors;
    Resources resources;
    Resources.Window windowA;
    Resources.Window windowBTail;
    Resources.Window windowAB;
  }

  private final Config config;
  private final Log log = new Log("lab-bench");
  private final EpiloopClient client;
  private final Codes codes;
  private final long seed;
  private final Errors errors = new Errors();
  private final Latency create = new Latency();
  private final Latency csv = new Latency();
  private final Latency poll = new Latency();
  private final AtomicLong firstCsvStart = new AtomicLong(Long.MAX_VALUE);
  private final AtomicInteger nextPlate = new AtomicInteger();
  private final AtomicInteger released = new AtomicInteger();
  private final AtomicInteger complete = new AtomicInteger();

  LabBench(Config config) {
    this.config = config;
    this.client = new EpiloopClient(URI.create(config.url()), Duration.ofSeconds(10), Duration.ofSeconds(300));
    SecureRandom sr = new SecureRandom();
    this.seed = sr.nextLong();
    this.codes = new Codes("lb", Codes.randomPrefix(sr));
  }

  Result run() throws InterruptedException {
    Result result = new Result();
    result.config = config;
    result.runPrefix = codes.prefix();
    result.labCode = codes.lab();
    result.startedAt = Instant.now();
    Resources resources = new Resources(config.serverPid());
    resources.start();

    // ---- setup, not measured ----
    log.info("run prefix %s; setting up against %s", codes.prefix(), client.base());
    long s0 = System.nanoTime();
    Fixture fixture = new Fixture(client, codes, log, seed);
    fixture.directory(config.adminPassword(), config.sites(), config.couriers(), Math.max(config.runners(), 1), 1);
    long s1 = System.nanoTime();
    int tubeCount = config.plates() * Plate.TUBE_WELLS;
    log.info("filling %d tubes of capacity %d (%d persons) with %d threads", tubeCount, config.pool(),
        (long) tubeCount * config.pool(), config.fillers());
    List<List<String>> bySite = fixture.fillTubes(tubeCount, config.pool(), config.fillers());
    long s2 = System.nanoTime();
    log.info("packing boxes of %d, sealing, handing over and delivering to %s", config.boxSize(), codes.lab());
    List<Fixture.Box> boxes = fixture.packAndShip(bySite, config.boxSize(), Math.min(config.fillers(), 32));
    long s3 = System.nanoTime();
    log.info("receiving %d boxes at %s", boxes.size(), codes.lab());
    fixture.receiveAll(boxes, 16);
    long s4 = System.nanoTime();
    result.setupDirectorySeconds = (s1 - s0) / 1e9;
    result.setupFillSeconds = (s2 - s1) / 1e9;
    result.setupShipSeconds = (s3 - s2) / 1e9;
    result.setupReceiveSeconds = (s4 - s3) / 1e9;
    result.setupSeconds = (s4 - s0) / 1e9;
    result.boxes = boxes.size();
    result.idsIssued = fixture.idsIssued();
    result.setupErrors = fixture.errors().lines();
    List<String> received = new ArrayList<>();
    boxes.forEach(b -> received.addAll(b.tubes()));
    result.tubes = received.size();
    log.info("setup done in %.1f s: %d tubes (%d persons) received at %s", result.setupSeconds, received.size(),
        (long) received.size() * config.pool(), codes.lab());

    // ---- measured ----
    List<Run> runs = new ArrayList<>();
    for (int p = 0; p * Plate.TUBE_WELLS < received.size(); p++) {
      int n = Math.min(Plate.TUBE_WELLS, received.size() - p * Plate.TUBE_WELLS);
      runs.add(new Run(p, codes.plate(p), n, (long) n * config.pool()));
    }
    ScheduledExecutorService pollers = Executors.newScheduledThreadPool(8, r -> {
      Thread t = new Thread(r, "poller");
      t.setDaemon(true);
      return t;
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(config.timeoutSeconds());
    resources.refreshDatabase();
    resources.measuring(true);
    Resources.Snapshot a0 = resources.snapshot();
    long tA0 = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < config.runners(); i++) {
      Fixture.User tech = fixture.techs().get(i % fixture.techs().size());
      Thread t = new Thread(() -> runner(tech, runs, received, pollers, deadline), "runner-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    log.info("phase A: %d runners loading %d plates and posting their results; phase B: polling person results every %d ms",
        config.runners(), runs.size(), config.pollMillis());
    long lastTick = tA0;
    for (Thread t : threads) {
      while (t.isAlive()) {
        t.join(500);
        lastTick = tick(lastTick, tA0, runs.size());
      }
    }
    long tA1 = runs.stream().filter(r -> r.csvEnd > 0).mapToLong(r -> r.csvEnd).max().orElse(System.nanoTime());
    Resources.Snapshot a1 = resources.snapshot();
    log.info("phase A done: %d runs released in %.1f s", released.get(), (tA1 - tA0) / 1e9);
    while (complete.get() < released.get() && System.nanoTime() < deadline) {
      Thread.sleep(100);
      lastTick = tick(lastTick, tA0, runs.size());
    }
    pollers.shutdownNow();
    pollers.awaitTermination(10, TimeUnit.SECONDS);
    resources.measuring(false);
    resources.refreshDatabase();
    Resources.Snapshot b1 = resources.snapshot();
    resources.close();

    long first = firstCsvStart.get();
    long lastComplete = runs.stream().filter(r -> r.completeAt > 0).mapToLong(r -> r.completeAt).max().orElse(-1);
    result.phaseAFrom = a0.at();
    result.phaseATo = a1.at();
    result.phaseBTo = b1.at();
    result.phaseASeconds = (tA1 - tA0) / 1e9;
    result.runs = runs;
    result.runsCreated = runs.stream().filter(r -> r.runId != null).count();
    result.runsReleased = released.get();
    result.runsComplete = complete.get();
    result.tubesReleased = runs.stream().filter(r -> r.released).mapToLong(r -> r.tubes).sum();
    result.personsExpected = runs.stream().mapToLong(r -> r.expectedPersons).sum();
    result.personsComplete = runs.stream().filter(r -> r.completeAt > 0).mapToLong(r -> r.expectedPersons).sum();
    result.releaseLag = new Latency();
    result.sinceFirstCsv = new Latency();
    for (Run r : runs) {
      if (r.completeAt > 0) {
        result.releaseLag.record(r.csvEnd, r.completeAt);
        result.sinceFirstCsv.record(first, r.completeAt);
      }
    }
    if (lastComplete > 0 && first != Long.MAX_VALUE) {
      result.phaseBSeconds = (lastComplete - first) / 1e9;
      result.drainSeconds = (lastComplete - tA1) / 1e9;
    }
    result.create = create;
    result.csv = csv;
    result.poll = poll;
    result.errors = errors.lines();
    result.resources = resources;
    result.windowA = new Resources.Window("phase A (first run creation to last CSV answer)", a0, a1);
    result.windowBTail = new Resources.Window("after phase A until all person results exist", a1, b1);
    result.windowAB = new Resources.Window("phases A + B (all of it)", a0, b1);
    return result;
  }

  private long tick(long lastTick, long t0, int total) {
    long now = System.nanoTime();
    if (now - lastTick < 5_000_000_000L) {
      return lastTick;
    }
    log.info("t=%3ds  runs released %d/%d  runs with all person results %d/%d  errors %d", Math.round((now - t0) / 1e9),
        released.get(), total, complete.get(), total, errors.total());
    return now;
  }

  private void runner(Fixture.User tech, List<Run> runs, List<String> received, ScheduledExecutorService pollers,
      long deadline) {
    int p;
    while ((p = nextPlate.getAndIncrement()) < runs.size()) {
      Run run = runs.get(p);
      try {
        plate(tech, run, received.subList(p * Plate.TUBE_WELLS, p * Plate.TUBE_WELLS + run.tubes), pollers, deadline);
      } catch (RuntimeException e) {
        errors.add("runner", "crash " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
      }
    }
  }

  private void plate(Fixture.User tech, Run run, List<String> tubes, ScheduledExecutorService pollers, long deadline) {
    run.createStart = System.nanoTime();
    ApiResponse r = client.post("/api/v1/labs/" + codes.lab() + "/runs", tech.token(), Plate.runBody(run.plateCode, tubes));
    long e = System.nanoTime();
    if (r.status() != 201 || r.text("runId") == null) {
      errors.add("create run", r, "plate " + run.plateCode);
      return;
    }
    create.record(run.createStart, e);
    run.runId = r.text("runId");
    if (!"LOADED".equals(r.text("status"))) {
      errors.add("create run", "201 status " + r.text("status"), "run " + run.runId);
    }
    String body = Plate.negativeCsv(run.tubes);
    long s = System.nanoTime();
    firstCsvStart.accumulateAndGet(s, Math::min);
    r = client.postText("/api/v1/runs/" + run.runId + "/results", tech.token(), "text/csv", body);
    e = System.nanoTime();
    run.csvStart = s;
    if (r.status() != 200) {
      errors.add("results csv", r, "run " + run.runId);
      return;
    }
    csv.record(s, e);
    run.csvEnd = e;
    JsonNode samples = r.body().path("samples");
    long negatives = 0;
    for (JsonNode sample : samples) {
      if ("NEGATIVE".equals(sample.path("interpretation").asText())) {
        negatives++;
      }
    }
    if (samples.size() != run.tubes || negatives != run.tubes) {
      errors.add("results csv", "200 samples not all NEGATIVE", "run " + run.runId + ": " + samples.size() + " samples, "
          + negatives + " negative, of " + run.tubes);
    }
    if (!"RELEASED".equals(r.text("status"))) {
      errors.add("results csv", "200 status " + r.text("status"), "run " + run.runId + " (expected RELEASED: all negative)");
      return;
    }
    run.released = true;
    released.incrementAndGet();
    pollers.execute(() -> poll(tech, run, pollers, deadline));
  }

  private void poll(Fixture.User tech, Run run, ScheduledExecutorService pollers, long deadline) {
    long s = System.nanoTime();
    ApiResponse r = client.get("/api/v1/results/runs/" + run.runId, tech.token());
    long e = System.nanoTime();
    run.polls++;
    if (r.status() == 200) {
      poll.record(s, e);
      long persons = r.body().path("persons").asLong(-1);
      run.persons = persons;
      if (persons >= run.expectedPersons) {
        long negative = r.body().path("negative").asLong(-1);
        if (persons != run.expectedPersons || negative != persons) {
          errors.add("person results", "200 counts differ", "run " + run.runId + ": expected " + run.expectedPersons
              + " NEGATIVE, got " + r.body());
        }
        run.completeAt = e;
        complete.incrementAndGet();
        return;
      }
    } else {
      errors.add("person results", r, "run " + run.runId);
    }
    if (e > deadline) {
      run.gaveUp = true;
      errors.add("person results", "incomplete at the deadline", "run " + run.runId + ": " + run.persons + " of "
          + run.expectedPersons + " persons after " + config.timeoutSeconds() + " s");
      return;
    }
    try {
      pollers.schedule(() -> poll(tech, run, pollers, deadline), config.pollMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException ex) {
      // shutting down
    }
  }
}
