package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/**
 * A collection terminal (a collector's phone) at a site. It takes arriving families and
 * individuals off the site's queue, opens tubes (pooled, or single for the single-tube share),
 * binds each person by appointment code or ID card, and seals its last, partly filled tube when
 * the queue runs dry; recalled persons come first, each into a new single tube with
 * {@code confirmRepeat}. It misbehaves like real terminals at the configured rates: it sends a
 * scan again with the same Idempotency-Key (one after the other, or both at once), scans a
 * person twice, or loses its network for a few scans, queues them and replays the queue.
 */
final class Terminal implements Runnable {

  static final String BIND = "POST /tubes/{tube}/bindings";
  static final String OPEN = "POST /tubes";
  static final String SEAL = "POST /tubes/{tube}/seal";

  /** An operation as the terminal queues it: open a tube, or bind a person with a key made at scan time. */
  private record Op(Tube tube, Person person, Map<String, Object> body, String key, boolean retest) {
    boolean open() {
      return person == null;
    }
  }

  private final CityDay day;
  private final int site;
  private final City.Staff collector;
  private final SplittableRandom random;
  private Tube pooled;
  private boolean offline;
  private int offlineScansLeft;
  private boolean firstResponseLost;
  private final List<Op> queue = new ArrayList<>();
  private String lastKey;

  Terminal(CityDay day, int site, int number) {
    this.day = day;
    this.site = site;
    this.collector = day.city.collectors.get(site).get(number);
    this.random = new SplittableRandom(day.o.seed * 1_000_003L + site * 101L + number);
  }

  @Override
  public void run() {
    boolean initialDone = false;
    while (!day.finished()) {
      if (retest(0)) {
        continue;
      }
      if (!initialDone) {
        List<Person> group = day.arrivals.get(site).poll();
        if (group != null) {
          for (Person p : group) {
            sample(p);
          }
          continue;
        }
        online();
        sealPartial();
        initialDone = true;
        day.terminalsInitialDone.incrementAndGet();
        continue;
      }
      if (!retest(200)) {
        online(); // idle: nothing more to queue behind, so the network "comes back"
      }
    }
    online();
  }

  /**
   * Takes a recalled person off the site's queue, waiting up to {@code millis}; false if there was
   * none. The person counts as pending (see {@link CityDay#retestsPending}) from being queued until
   * the scan has been made or queued offline.
   */
  private boolean retest(long millis) {
    Person p;
    try {
      p = millis == 0 ? day.retests.get(site).poll() : day.retests.get(site).poll(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    if (p == null) {
      return false;
    }
    try {
      Tube t = newTube(1, true);
      submit(new Op(t, null, null, null, true));
      bind(t, p, true);
    } finally {
      day.retestsPending.decrementAndGet();
    }
    return true;
  }

  private void sample(Person p) {
    if (p.single) {
      Tube t = newTube(1, false);
      submit(new Op(t, null, null, null, false));
      bind(t, p, false);
      return;
    }
    if (pooled == null || pooled.localCount >= pooled.capacity) {
      pooled = newTube(day.o.pool, false);
      submit(new Op(pooled, null, null, null, false));
    }
    bind(pooled, p, false);
  }

  private Tube newTube(int capacity, boolean retest) {
    Tube t = new Tube(day.newTubeCode(), site, capacity, retest);
    day.tubes.add(t);
    return t;
  }

  private void bind(Tube t, Person p, boolean retest) {
    t.localCount++;
    Map<String, Object> body = new LinkedHashMap<>();
    if (!retest && p.appointmentCode != null && random.nextDouble() < 0.9) {
      body.put("appointmentCode", p.appointmentCode);
    } else {
      body.put("idType", "CN_ID");
      body.put("idNumber", p.idNumber());
      body.put("name", p.name());
    }
    if (retest) {
      body.put("confirmRepeat", true);
    }
    submit(new Op(t, p, body, UUID.randomUUID().toString(), retest));
  }

  private void submit(Op op) {
    if (!offline && !op.open() && random.nextDouble() < day.o.offlineRate) {
      offline = true;
      offlineScansLeft = 3 + random.nextInt(13);
      firstResponseLost = random.nextBoolean();
      day.metrics.count("fault: terminal offline episodes");
    }
    if (offline) {
      queue.add(op);
      day.scansQueuedOffline.incrementAndGet();
      day.metrics.count("fault: operations queued offline");
      if (firstResponseLost && queue.size() == 1) {
        // the request reached the server just before the network went: its answer never came back
        day.metrics.count("fault: queued operations whose first answer was lost");
        send(op, true);
      }
      if (!op.open() && --offlineScansLeft <= 0) {
        online();
      }
      return;
    }
    execute(op, false);
  }

  /** Back online: replays the queue in order, with the keys made when the persons were scanned. */
  private void online() {
    if (!offline) {
      return;
    }
    offline = false;
    for (Op op : queue) {
      execute(op, true);
      day.scansQueuedOffline.decrementAndGet();
      day.metrics.count("fault: queued operations replayed");
    }
    queue.clear();
  }

  /** Sends once without looking at the answer (a lost response). */
  private void send(Op op, boolean ignored) {
    if (op.open()) {
      day.http.postOnce(OPEN, "/api/v1/tubes", collector.token(), Map.of("tubeCode", op.tube().code, "capacity", op.tube().capacity),
          Map.of(), "TUBE_EXISTS");
    } else {
      day.http.postOnce(BIND, bindPath(op), collector.token(), op.body(), Map.of("Idempotency-Key", op.key()));
    }
  }

  private void execute(Op op, boolean replay) {
    if (op.open()) {
      ApiResponse r = day.http.post(OPEN, "/api/v1/tubes", collector.token(), Map.of("tubeCode", op.tube().code, "capacity",
          op.tube().capacity), "TUBE_EXISTS");
      if (r.status() != 201 && !(replay && "TUBE_EXISTS".equals(r.code()))) {
        day.metrics.count("tubes that could not be opened");
      }
      return;
    }
    Tube t = op.tube();
    Person p = op.person();
    Map<String, String> key = Map.of("Idempotency-Key", op.key());
    double fault = replay ? 1 : random.nextDouble();
    if (!replay && lastKey != null && random.nextDouble() < day.o.retryRate / 4) {
      reuseKey(op);
    }
    boolean concurrentRetry = fault < day.o.retryRate / 2;
    ApiResponse r;
    if (concurrentRetry) {
      // the terminal timed out and sent the scan again while the first was still on its way
      CompletableFuture<ApiResponse> first = CompletableFuture.supplyAsync(() -> day.http.post(BIND, bindPath(op), collector.token(),
          op.body(), key), day.sidecar);
      ApiResponse second = day.http.other().post(BIND, bindPath(op), collector.token(), op.body(), key);
      r = first.join();
      compareRetry(op, r, second, "concurrent");
    } else {
      r = day.http.post(BIND, bindPath(op), collector.token(), op.body(), key);
    }
    if (r.status() != 201) {
      failed(op, r);
      return;
    }
    accept(op, r);
    if (!replay && !concurrentRetry && fault < day.o.retryRate) {
      ApiResponse again = day.http.other().post(BIND, bindPath(op), collector.token(), op.body(), key);
      compareRetry(op, r, again, "sequential");
    }
    if (!replay && random.nextDouble() < day.o.duplicateRate) {
      duplicate(op);
    }
  }

  private void accept(Op op, ApiResponse r) {
    Tube t = op.tube();
    Person p = op.person();
    lastKey = op.key(); // a key the server has stored: reusing it for another scan must be refused
    String bindingId = r.text("bindingId");
    if (p.bound(bindingId, t)) {
      t.add(p);
      day.metrics.stage(op.retest() ? "retest" : "sampling");
      day.metrics.count(op.body().containsKey("appointmentCode") ? "bindings by appointment code" : "bindings by ID card");
    } else {
      day.metrics.count("replayed scans answered with their first binding");
    }
    boolean sealedNow = "SEALED".equals(r.text("tubeStatus"));
    int count = r.body().path("count").asInt(r.body().path("position").asInt(-1));
    if (sealedNow != (count == t.capacity)) {
      day.metrics.error(BIND, "201 tubeStatus " + r.text("tubeStatus") + " at " + count + "/" + t.capacity, "tube " + t.code);
    }
    if (sealedNow) {
      day.sealed(t);
    }
  }

  private void compareRetry(Op op, ApiResponse first, ApiResponse again, String how) {
    day.metrics.count("fault: scans sent again with the same key (" + how + ")");
    if (day.http.copies() > 1) {
      // the repeat went to the copy after the terminal's own (Http.other)
      day.metrics.count("cluster: scans sent again with the same key to another copy");
    }
    boolean same = first.status() == again.status() && Objects.equals(first.text("bindingId"), again.text("bindingId"))
        && Objects.equals(first.body().path("position").asText(), again.body().path("position").asText());
    if (!same) {
      day.retryMismatches.add(how + " retry of a scan into " + op.tube().code + ": " + first.status() + " " + first.text("bindingId")
          + " then " + again.status() + " " + again.text("bindingId") + " " + again.code());
    }
  }

  /**
   * A terminal bug: the scan goes out with the key of the terminal's previous scan (another person).
   * The server must refuse it (422 IDEMPOTENCY_KEY_REUSED) without binding anybody; the terminal then
   * sends the scan with its own key.
   */
  private void reuseKey(Op op) {
    day.metrics.count("fault: scans sent with the previous scan's key");
    ApiResponse r = day.http.post(BIND, bindPath(op), collector.token(), op.body(), Map.of("Idempotency-Key", lastKey),
        "IDEMPOTENCY_KEY_REUSED");
    if (r.status() != 422) {
      day.retryMismatches.add("scan of person " + op.person().index + " with the previous scan's key answered " + r.status() + " "
          + (r.code() != null ? r.code() : r.text("bindingId")));
    }
  }

  /** The collector scans the same person again (a new key): the server must refuse it. */
  private void duplicate(Op op) {
    day.metrics.count("fault: duplicate scans (new key)");
    Map<String, Object> body = new LinkedHashMap<>(op.body());
    body.remove("confirmRepeat");
    ApiResponse d = day.http.post(BIND, bindPath(op), collector.token(), body, Map.of("Idempotency-Key", UUID.randomUUID().toString()),
        "ALREADY_IN_TUBE", "SAMPLED_IN_ROUND", "TUBE_SEALED");
    if (d.status() == 201) {
      day.duplicateBindings.add("person " + op.person().index + " bound twice into " + op.tube().code + " (" + d.text("bindingId") + ")");
      accept(op, d);
    } else if (d.status() == 409) {
      day.metrics.count("fault: duplicate scans refused " + d.code());
    }
  }

  private void failed(Op op, ApiResponse r) {
    Tube t = op.tube();
    Person p = op.person();
    t.localCount--;
    if (op.retest()) {
      // try the retest again later (at most twice more)
      if (p.recalls < 3 && !day.finished()) {
        day.metrics.count("retest scans failed and queued again");
        day.retestsPending.incrementAndGet();
        day.retests.get(site).add(p);
      }
    } else if (!p.sampled()) {
      p.failed = true;
      day.metrics.count("persons who could not be bound");
    }
    if (t != pooled && t.size() > 0 && !t.sealed) {
      seal(t); // a replayed scan failed: the tube will never fill, seal what it holds
    }
  }

  private void sealPartial() {
    if (pooled != null && !pooled.sealed && pooled.size() > 0) {
      seal(pooled);
    }
    pooled = null;
  }

  private void seal(Tube t) {
    ApiResponse r = day.http.post(SEAL, "/api/v1/tubes/" + t.code + "/seal", collector.token(), Map.of());
    if (r.status() == 200 && "SEALED".equals(r.text("status"))) {
      if (r.body().path("count").asInt(-1) != t.size()) {
        day.reconcileProblems.add("tube " + t.code + " sealed with count " + r.body().path("count").asText() + ", "
            + t.size() + " persons bound");
      }
      day.sealed(t);
    }
  }

  private static String bindPath(Op op) {
    return "/api/v1/tubes/" + op.tube().code + "/bindings";
  }
}
