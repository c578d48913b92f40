package org.epiloop.simulator.day;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.bench.ServerMonitor;

/**
 * One mass-testing day of the synthetic city, driven over HTTP only. After the setup (the city
 * and its pre-registered residents) every stage runs at once as a pipeline of threads and
 * queues, so the stages overlap as they do in reality:
 *
 * <pre>
 * stations (collection terminals) → packers (one per site) → couriers → lab receipt (technicians)
 *   → plating and CSV import (one bench per lab) → review and release (one reviewer per lab)
 *   → publication watcher → recall lists → back to the stations for single-tube retests
 *   → residents (results, health codes, venue check-ins)
 * </pre>
 *
 * The day ends when every sealed tube has an outcome (released, or lost and its members
 * recalled), nobody waits for a retest and every released run's person results are written;
 * then the invariants are checked over the API.
 */
public final class CityDay {

  /** What a day produced: the report's input. */
  public static final class Result {
    public DayOptions options;
    public String prefix;
    public Instant started;
    public Instant dayStarted;
    public Instant dayEnded;
    public Instant finished;
    public Duration setup;
    public Duration preRegistration;
    public Duration day;
    public Duration settle;
    public boolean completed;
    public String abortReason;
    public List<Invariants.Check> checks = List.of();
    public Long serverPid;
    public long peakRssKb = -1;
    public long hwmKb = -1;
    public boolean venues;
    Metrics metrics;
    CityDay cityDay;

    public boolean passed() {
      return completed && !checks.isEmpty() && checks.stream().allMatch(Invariants.Check::passed);
    }

    public String markdown() {
      return DayReport.markdown(this);
    }

    public String html() {
      return HtmlReport.html(this);
    }
  }

  final DayOptions o;
  final Metrics metrics = new Metrics();
  final Http http;
  final Log log;
  final City city;
  /** Residents' self-declarations and the follow-up tasks they make (--declaration-rate). */
  final Declarations declarations = new Declarations(this);
  /** Fever-clinic visits reported by designated hospitals (--fever-visit-rate). */
  final FeverClinics feverClinics = new FeverClinics(this);

  /** Stock at sites and labs and its settlement (--site-stock). */
  final Supplies supplies = new Supplies(this);

  // the pipeline
  final List<ConcurrentLinkedQueue<List<Person>>> arrivals = new ArrayList<>();
  final List<BlockingQueue<Person>> retests = new ArrayList<>();
  final List<BlockingQueue<Tube>> sealed = new ArrayList<>();
  final BlockingQueue<Box> toShip = new LinkedBlockingQueue<>();
  final List<BlockingQueue<Box>> delivered = new ArrayList<>();
  final List<BlockingQueue<Tube>> toPlate = new ArrayList<>();
  final List<BlockingQueue<Run>> toReview = new ArrayList<>();
  /** Per lab: reactions the day's plates took from the lab's kit lot (every well, controls too). */
  final List<java.util.concurrent.atomic.AtomicLong> kitReactions = new ArrayList<>();
  final BlockingQueue<Run> toPublish = new LinkedBlockingQueue<>();
  /** Tubes whose members must show up on their site's recall list, with the reason expected. */
  final Map<String, Tube> expectedRecalls = new ConcurrentHashMap<>();
  final Map<String, Instant> recallExpectedSince = new ConcurrentHashMap<>();
  /** Single tubes that were released positive: each must have raised a CRITICAL_RESULT alert. */
  final Map<String, Tube> positiveSingles = new ConcurrentHashMap<>();
  /** Pooled tubes that were released positive. */
  final Map<String, Tube> positivePools = new ConcurrentHashMap<>();
  /** Recall entries seen per tube: tube code → {count, reasons}. */
  final Map<String, String> recallReasons = new ConcurrentHashMap<>();
  final Map<String, Integer> recallCounts = new ConcurrentHashMap<>();

  final ConcurrentLinkedQueue<Tube> tubes = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Box> boxes = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<Run> runs = new ConcurrentLinkedQueue<>();
  /** Problems the reconciliation found on the way (box, receipt, run counts), with an example each. */
  final ConcurrentLinkedQueue<String> reconcileProblems = new ConcurrentLinkedQueue<>();
  /** Scans whose repeat (same key) answered something else than the first time. */
  final ConcurrentLinkedQueue<String> retryMismatches = new ConcurrentLinkedQueue<>();
  /** Duplicate scans (new key, same person) that created a binding. */
  final ConcurrentLinkedQueue<String> duplicateBindings = new ConcurrentLinkedQueue<>();
  /** Resident-side mismatches: results or health codes that disagree with what the lab released. */
  final ConcurrentLinkedQueue<String> residentMismatches = new ConcurrentLinkedQueue<>();

  // progress, for the end of the day
  final AtomicInteger terminalsInitialDone = new AtomicInteger();
  /** Recalled persons queued for a retest whose scan has not been made (or queued offline) yet. */
  final AtomicInteger retestsPending = new AtomicInteger();
  final AtomicInteger scansQueuedOffline = new AtomicInteger();
  final AtomicInteger tubesSealed = new AtomicInteger();
  final AtomicInteger tubesDone = new AtomicInteger();
  final AtomicInteger runsUnpublished = new AtomicInteger();
  final AtomicInteger residentChecksInFlight = new AtomicInteger();
  private final AtomicLong tubeCounter = new AtomicLong();
  private final AtomicLong boxCounter = new AtomicLong();
  private final AtomicLong plateCounter = new AtomicLong();
  private final AtomicLong strayCounter = new AtomicLong();
  private volatile boolean finished;
  private final AtomicReference<Throwable> crash = new AtomicReference<>();
  volatile boolean venuesOn;
  volatile boolean checkInsOn = true;
  /** False once the server answered that it has no case API. */
  volatile boolean casesOn = true;
  /** Every check-in the server stored today, as it answered (with --venues): the input of the expected contacts. */
  final ConcurrentLinkedQueue<ContactRules.CheckIn> checkInLog = new ConcurrentLinkedQueue<>();
  /** Check-ins whose answer never came (transport failure, 5xx): the server may or may not have stored them. */
  final AtomicInteger checkInsUncertain = new AtomicInteger();
  final AtomicInteger checkInsInFlight = new AtomicInteger();
  /** Set before the cases are confirmed: no check-in is made any more. */
  volatile boolean checkInsClosed;
  /** The cases confirmed at the end of the day, with their tracing lists. */
  final List<CaseTracing.ConfirmedCase> cases = new java.util.concurrent.CopyOnWriteArrayList<>();
  ScheduledExecutorService residents;
  /** Sends the second copy of a scan that a terminal repeats while the first is still on its way. */
  final java.util.concurrent.ExecutorService sidecar = Executors.newCachedThreadPool(daemon("repeat"));

  public CityDay(DayOptions o) {
    this.o = o;
    this.log = new Log("day", o.quiet);
    this.http = new Http(o.urls().stream().map(u -> new EpiloopClient(URI.create(u), Duration.ofSeconds(10), Duration.ofSeconds(120)))
        .toList(), metrics);
    this.city = new City(o, http, metrics, log);
  }

  boolean finished() {
    return finished;
  }

  void crash(Throwable e) {
    if (crash.compareAndSet(null, e)) {
      log.info("a worker failed: %s", e);
      e.printStackTrace();
    }
  }

  String newTubeCode() {
    return "T" + city.prefix + "-" + Long.toString(tubeCounter.incrementAndGet(), 36);
  }

  String newBoxCode() {
    return "B" + city.prefix + "-" + Long.toString(boxCounter.incrementAndGet(), 36);
  }

  String newPlateCode() {
    return "P" + city.prefix + "-" + Long.toString(plateCounter.incrementAndGet(), 36);
  }

  String newStrayCode() {
    return "X" + city.prefix + "-" + Long.toString(strayCounter.incrementAndGet(), 36);
  }

  int labOf(int site) {
    return site % o.labs;
  }

  /** The server sealed this tube (its last binding, or an explicit seal). */
  void sealed(Tube t) {
    if (t.sealed) {
      return;
    }
    t.sealed = true;
    t.sealedAt = Instant.now();
    tubesSealed.incrementAndGet();
    metrics.stage("tubes sealed");
    sealed.get(t.site).add(t);
  }

  /** A tube reached its end: released (with this outcome), lost, or given up. */
  void done(Tube t, Tube.Outcome outcome) {
    if (t.outcome != null) {
      return;
    }
    t.outcome = outcome;
    if (t.sealed) {
      tubesDone.incrementAndGet();
    }
  }

  /** A tube failed for good on the way (an error the report shows); its members get no result. */
  void abandon(Tube t, String why) {
    metrics.count("tubes abandoned after an error");
    reconcileProblems.add("tube " + t.code + " abandoned: " + why);
    done(t, Tube.Outcome.ABANDONED);
  }

  /** Members of a lost tube (missing or rejected at the lab) must show up on the recall list. */
  void lost(Tube t, String reason) {
    t.lostReason = reason;
    expectRecall(t);
    done(t, Tube.Outcome.LOST);
  }

  void expectRecall(Tube t) {
    recallExpectedSince.put(t.code, Instant.now());
    expectedRecalls.put(t.code, t);
  }

  /** A run was released: its person results are written asynchronously, watch for them. */
  void released(Run run) {
    Instant now = Instant.now();
    run.releasedAt = now;
    metrics.stage("release");
    for (Tube t : run.tubes) {
      t.releasedAt = now;
      if (t.firstSampledAt != null) {
        metrics.turnaround("tube: collection → release", Duration.between(t.firstSampledAt, now).toMillis());
      }
    }
    runsUnpublished.incrementAndGet();
    toPublish.add(run);
  }

  /** The final result of a person's latest sampling is out. */
  void finalResult(Person p, String status) {
    p.finalStatus = status;
    Instant finalAt = Instant.now();
    p.finalAt(finalAt);
    Instant first = p.firstSampledAt();
    if (first != null) {
      long ms = Duration.between(first, finalAt).toMillis();
      metrics.turnaround("person: first collection → final result", ms);
      if (p.recalls > 0) {
        metrics.turnaround("recalled person: first collection → final result", ms);
      }
    }
    residentCheck(p, status);
  }

  /** A resident with an account opens the app after the SMS: results, and for a final one the health code. */
  void residentCheck(Person p, String expected) {
    if (p.account == null || p.personId == null || p.account.token == null || residents == null) {
      return;
    }
    residentChecksInFlight.incrementAndGet();
    long delay = 100 + (p.index * 7919L) % 900;
    try {
      residents.schedule(() -> {
        try {
          new Residents(this).check(p, expected);
        } catch (RuntimeException e) {
          crash(e);
        } finally {
          residentChecksInFlight.decrementAndGet();
        }
      }, delay, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      residentChecksInFlight.decrementAndGet();
    }
  }

  /** Runs setup, the day, the settling wait and the invariants. */
  public Result run() throws InterruptedException {
    Result res = new Result();
    res.options = o;
    res.metrics = metrics;
    res.cityDay = this;
    res.started = Instant.now();
    Long pid = o.serverPid;
    if (pid == null) {
      pid = ServerPid.of(o.url).orElse(null);
      if (pid != null) {
        log.info("the server at %s is process %d on this machine: its RSS is sampled", o.url, pid);
      }
    }
    res.serverPid = pid;
    ServerMonitor monitor = pid == null ? null : new ServerMonitor(pid);
    if (monitor != null) {
      monitor.start();
      monitor.measuring(true);
    }
    Province receiver = null;
    ProvinceCheck province = null;
    try {
      if (o.province) {
        receiver = new Province(o.provincePort);
        log.info("the province's receiver listens at %s", receiver.url());
      }
      city.directory();
      res.prefix = city.prefix;
      if (o.province || o.provinceUrl != null) {
        province = new ProvinceCheck(this, receiver, o.provinceUrl);
        province.follow();
      }
      city.residents();
      if (o.venues) {
        venuesOn = city.venues(o.venueCount());
      }
      res.venues = venuesOn;
      res.setup = Duration.between(res.started, Instant.now());
      Instant pre = Instant.now();
      city.preRegister(Math.min(16, Math.max(4, city.accounts.size() / 20)));
      res.preRegistration = Duration.between(pre, Instant.now());
      declarations.setup();
      supplies.setup();
      feverClinics.setup();

      res.dayStarted = Instant.now();
      metrics.dayStarts();
      res.completed = runDay();
      res.dayEnded = Instant.now();
      res.day = Duration.between(res.dayStarted, res.dayEnded);
      if (!res.completed) {
        res.abortReason = crash.get() != null ? "a worker failed: " + crash.get()
            : "the day did not complete within --max-minutes " + o.maxMinutes;
      }
      if (venuesOn) {
        new CaseTracing(this).confirmCases();
      }
      Instant settle = Instant.now();
      Invariants inv = new Invariants(this);
      inv.settle();
      res.settle = Duration.between(settle, Instant.now());
      res.checks = inv.check();
      if (province != null) {
        List<Invariants.Check> checks = new ArrayList<>(res.checks);
        checks.add(province.check());
        res.checks = checks;
      }
    } catch (InterruptedException e) {
      throw e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("the province's receiver did not start: " + e.getMessage(), e);
    } finally {
      if (province != null) {
        province.stop();
      }
      if (receiver != null) {
        try {
          receiver.close();
        } catch (Exception e) {
          log.info("the province's receiver did not stop cleanly: %s", e.getMessage());
        }
      }
      if (monitor != null) {
        monitor.close();
        res.peakRssKb = monitor.peakRssKb();
        res.hwmKb = monitor.hwmKb().orElse(-1);
      }
      res.finished = Instant.now();
    }
    return res;
  }

  private boolean runDay() throws InterruptedException {
    for (int s = 0; s < o.sites; s++) {
      arrivals.add(new ConcurrentLinkedQueue<>(city.arrivals.get(s)));
      retests.add(new LinkedBlockingQueue<>());
      sealed.add(new LinkedBlockingQueue<>());
    }
    for (int l = 0; l < o.labs; l++) {
      delivered.add(new LinkedBlockingQueue<>());
      toPlate.add(new LinkedBlockingQueue<>());
      toReview.add(new LinkedBlockingQueue<>());
      kitReactions.add(new java.util.concurrent.atomic.AtomicLong());
    }
    residents = Executors.newScheduledThreadPool(Math.max(3, Math.min(16, city.accounts.size() / 125)), daemon("resident"));
    if (venuesOn) {
      new CaseTracing(this).scheduleCaseVisits();
    }
    List<Thread> workers = new ArrayList<>();
    for (int s = 0; s < o.sites; s++) {
      for (int c = 0; c < o.collectorsPerSite; c++) {
        workers.add(thread("terminal-" + s + "-" + c, new Terminal(this, s, c)));
      }
      workers.add(thread("packer-" + s, new Packer(this, s)));
    }
    for (int k = 0; k < o.couriers; k++) {
      workers.add(thread("courier-" + k, new Courier(this, k)));
    }
    for (int l = 0; l < o.labs; l++) {
      for (int t = 0; t < o.labTechs; t++) {
        workers.add(thread("receipt-" + l + "-" + t, new LabWork.Receipt(this, l, t)));
      }
      workers.add(thread("plater-" + l, new LabWork.Plater(this, l)));
      workers.add(thread("reviewer-" + l, new LabWork.Reviewer(this, l)));
    }
    if (o.sensorReadingsPerSecond > 0) {
      workers.add(thread("sensors", new Sensors(this)));
    }
    workers.add(thread("publication", new Followup.Publication(this)));
    workers.add(thread("recalls", new Followup.Recalls(this)));
    if (declarations.on()) {
      workers.add(thread("declarations", declarations));
    }
    if (feverClinics.on()) {
      workers.add(thread("fever-clinics", feverClinics));
    }
    log.info("day started: %d terminals, %d packers, %d couriers, %d labs (%d receipt benches, 1 plate bench, 1 reviewer each)",
        o.terminals(), o.sites, o.couriers, o.labs, o.labTechs);
    workers.forEach(Thread::start);

    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(o.maxMinutes);
    long lastLog = 0;
    boolean complete = false;
    while (System.nanoTime() < deadline && crash.get() == null) {
      if (quiescent()) {
        Thread.sleep(300); // confirm: nothing moved meanwhile
        if (quiescent()) {
          complete = true;
          break;
        }
      }
      if (System.nanoTime() - lastLog > 10_000_000_000L) {
        lastLog = System.nanoTime();
        log.info("sampled %d/%d persons, tubes %d sealed / %d done, boxes %d, runs %d (%d unpublished), recalls awaited %d, retests queued %d",
            metrics.stages().get(1).count.sum(), city.persons.size(), tubesSealed.get(), tubesDone.get(), boxes.size(), runs.size(),
            runsUnpublished.get(), expectedRecalls.size(), retests.stream().mapToInt(BlockingQueue::size).sum());
      }
      Thread.sleep(200);
    }
    finished = true;
    for (Thread t : workers) {
      t.join(30_000);
    }
    residents.shutdown();
    residents.awaitTermination(30, TimeUnit.SECONDS);
    sidecar.shutdown();
    log.info("day %s: %d tubes, %d boxes, %d runs", complete ? "complete" : "ABORTED", tubes.size(), boxes.size(), runs.size());
    return complete && crash.get() == null;
  }

  /** The day is over: the sensor gateways stop too. */
  boolean sensorsDone() {
    return finished || crash.get() != null;
  }

  /** Nothing left to do anywhere in the pipeline. */
  private boolean quiescent() {
    return terminalsInitialDone.get() == o.terminals()
        && retestsPending.get() == 0
        && scansQueuedOffline.get() == 0
        && tubesSealed.get() == tubesDone.get()
        && expectedRecalls.isEmpty()
        && runsUnpublished.get() == 0
        && residentChecksInFlight.get() == 0;
  }

  private Thread thread(String name, Runnable r) {
    Thread t = new Thread(() -> {
      try {
        r.run();
      } catch (RuntimeException | Error e) {
        crash(e);
      }
    }, name);
    t.setDaemon(true);
    return t;
  }

  private static java.util.concurrent.ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
