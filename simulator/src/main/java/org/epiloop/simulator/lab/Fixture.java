package org.epiloop.simulator.lab;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.data.ChineseNames;
import org.epiloop.simulator.data.IdNumberGenerator;

/**
 * The unmeasured setup both lab benchmarks share, through the admin, sampling and transport APIs:
 * a district with sites and one collector each, a lab with technicians and a reviewer, couriers;
 * tubes filled by ID card until they seal; boxes packed per site, sealed, handed over and
 * delivered to the lab; optionally the boxes received at the lab (opened, every tube scanned,
 * closed).
 *
 * <p>Setup requests that fail with a transport error, 5xx or 429 are retried (a binding with the
 * same {@code Idempotency-Key}); every such failure is counted in {@link #errors()}. Anything
 * else that goes wrong aborts the setup with an {@link ApiException}.
 */
public final class Fixture {

  public record User(String username, String token) {}

  public record Collector(String username, String siteCode, String token) {}

  /** A box packed at one site with these tubes, sealed, delivered to the lab. */
  public record Box(String boxCode, String siteCode, List<String> tubes) {}

  private static final int ATTEMPTS = 4;

  private final EpiloopClient client;
  private final Codes codes;
  private final Log log;
  private final long seed;
  private final IdNumberGenerator ids;
  private final Errors errors = new Errors();
  private final String password = "pw-" + UUID.randomUUID();

  private String admin;
  private final List<Collector> collectors = new ArrayList<>();
  private final List<User> couriers = new ArrayList<>();
  private final List<User> techs = new ArrayList<>();
  private final List<User> reviewers = new ArrayList<>();

  public Fixture(EpiloopClient client, Codes codes, Log log, long seed) {
    this.client = client;
    this.codes = codes;
    this.log = log;
    this.seed = seed;
    this.ids = new IdNumberGenerator(seed);
  }

  /** The admin token of {@link #directory}. */
  public String adminToken() {
    return admin;
  }

  /** The run's ID numbers: one generator, so numbers are never repeated within the run. */
  public IdNumberGenerator ids() {
    return ids;
  }

  public Errors errors() {
    return errors;
  }

  long idsIssued() {
    return ids.issued();
  }

  public List<Collector> collectors() {
    return collectors;
  }

  public List<User> techs() {
    return techs;
  }

  List<User> reviewers() {
    return reviewers;
  }

  public List<User> couriers() {
    return couriers;
  }

  /** District, sites with a collector each, the lab (daily capacity 1,000,000), couriers, technicians, reviewers. */
  public void directory(String adminPassword, int sites, int courierCount, int techCount, int reviewerCount) {
    admin = client.login("admin", adminPassword);
    client.create("/api/v1/districts", admin, map("code", codes.district(), "name", "Bench district " + codes.prefix()));
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 1; i <= sites; i++) {
      String site = codes.site(i);
      double lat = 33.96 + random.nextDouble(-0.05, 0.05);
      double lon = 118.28 + random.nextDouble(-0.05, 0.05);
      client.create("/api/v1/sites", admin, map("code", site, "name", "Bench site " + codes.prefix() + " #" + i,
          "districtCode", codes.district(), "latitude", lat, "longitude", lon));
      String user = codes.user('c', i);
      client.create("/api/v1/admin/users", admin,
          map("username", user, "password", password, "role", "COLLECTOR", "siteCode", site));
      collectors.add(new Collector(user, site, client.login(user, password)));
    }
    client.create("/api/v1/labs", admin, map("code", codes.lab(), "name", "Bench lab " + codes.prefix(), "districtCode",
        codes.district(), "dailyCapacity", 1_000_000));
    for (int i = 1; i <= courierCount; i++) {
      couriers.add(user('k', i, "COURIER", null));
    }
    for (int i = 1; i <= techCount; i++) {
      techs.add(user('t', i, "LAB_TECH", codes.lab()));
    }
    for (int i = 1; i <= reviewerCount; i++) {
      reviewers.add(user('r', i, "LAB_REVIEWER", codes.lab()));
    }
    log.info("created district %s, %d sites with a collector each, lab %s, %d couriers, %d lab technicians, %d reviewers",
        codes.district(), sites, codes.lab(), courierCount, techCount, reviewerCount);
  }

  private User user(char role, int n, String roleName, String lab) {
    String name = codes.user(role, n);
    Map<String, Object> body = map("username", name, "password", password, "role", roleName);
    if (lab != null) {
      body.put("labCode", lab);
    }
    client.create("/api/v1/admin/users", admin, body);
    return new User(name, client.login(name, password));
  }

  /**
   * Opens {@code tubes} tubes of {@code capacity} round-robin over the sites and binds
   * {@code capacity} new persons to each, {@code threads} at a time; every tube must seal with its
   * last binding.
   *
   * @return the sealed tube codes per site, in the order of the collectors
   */
  public List<List<String>> fillTubes(int tubes, int capacity, int threads) throws InterruptedException {
    List<List<String>> bySite = new ArrayList<>();
    for (int i = 0; i < collectors.size(); i++) {
      bySite.add(Collections.synchronizedList(new ArrayList<>()));
    }
    Parallel.run(log, "fill", threads, tubes, "bindings", capacity, i -> {
      int s = i % collectors.size();
      Collector c = collectors.get(s);
      String tube = codes.tube(i);
      call("open tube", () -> client.post("/api/v1/tubes", c.token(), map("tubeCode", tube, "capacity", capacity)), 201);
      SplittableRandom random = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (i + 1)));
      String path = "/api/v1/tubes/" + tube + "/bindings";
      for (int k = 1; k <= capacity; k++) {
        Map<String, Object> body = map("idType", "CN_ID", "idNumber", ids.next(), "name", ChineseNames.next(random));
        Map<String, String> key = Map.of("Idempotency-Key", fastUuid().toString());
        ApiResponse r = call("bind", () -> client.post(path, c.token(), body, key), 201);
        boolean sealed = "SEALED".equals(r.text("tubeStatus"));
        if (sealed != (k == capacity)) {
          errors.add("bind", "201 tubeStatus " + r.text("tubeStatus"), "tube " + tube + " at binding " + k + " of " + capacity);
          throw new IllegalStateException("tube " + tube + ": tubeStatus " + r.text("tubeStatus") + " after binding " + k
              + " of " + capacity);
        }
      }
      bySite.get(s).add(tube);
    });
    return bySite;
  }

  /** Chunks of at most {@code size}, in order. */
  static <T> List<List<T>> chunks(List<T> items, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1");
    }
    List<List<T>> out = new ArrayList<>();
    for (int from = 0; from < items.size(); from += size) {
      out.add(List.copyOf(items.subList(from, Math.min(items.size(), from + size))));
    }
    return out;
  }

  /**
   * Packs each site's tubes into boxes of at most {@code boxSize}, seals them, and has a courier
   * hand each over for the lab and deliver it there, {@code threads} boxes at a time.
   */
  public List<Box> packAndShip(List<List<String>> tubesBySite, int boxSize, int threads) throws InterruptedException {
    List<Box> boxes = new ArrayList<>();
    for (int s = 0; s < tubesBySite.size(); s++) {
      List<String> tubes = new ArrayList<>(tubesBySite.get(s));
      Collections.sort(tubes);
      for (List<String> chunk : chunks(tubes, boxSize)) {
        boxes.add(new Box(codes.box(boxes.size()), collectors.get(s).siteCode(), chunk));
      }
    }
    Parallel.run(log, "pack+ship", threads, boxes.size(), "boxes", 1, i -> {
      Box box = boxes.get(i);
      Collector c = collectors.stream().filter(x -> x.siteCode().equals(box.siteCode())).findFirst().orElseThrow();
      call("open box", () -> client.post("/api/v1/boxes", c.token(), map("boxCode", box.boxCode())), 201);
      for (String tube : box.tubes()) {
        call("pack", () -> client.post("/api/v1/boxes/" + box.boxCode() + "/tubes", c.token(), map("tubeCode", tube)), 200);
      }
      ApiResponse sealed = call("seal box", () -> client.post("/api/v1/boxes/" + box.boxCode() + "/seal", c.token(), Map.of()), 200);
      if (sealed.body().path("tubeCount").asInt(-1) != box.tubes().size()) {
        errors.add("seal box", "200 tubeCount " + sealed.body().path("tubeCount").asText(), "box " + box.boxCode()
            + " packed with " + box.tubes().size());
      }
      User courier = couriers.get(i % couriers.size());
      Map<String, Object> lab = map("labCode", codes.lab());
      call("handover", () -> client.post("/api/v1/boxes/" + box.boxCode() + "/handover", courier.token(), lab), 200);
      call("arrival", () -> client.post("/api/v1/boxes/" + box.boxCode() + "/arrival", courier.token(), lab), 200);
    });
    return boxes;
  }

  /**
   * Receives the boxes at the lab (open, scan every tube, close), {@code threads} at a time,
   * round-robin over the technicians; every scan must be RECEIVED and every close complete.
   */
  void receiveAll(List<Box> boxes, int threads) throws InterruptedException {
    String base = "/api/v1/labs/" + codes.lab() + "/receipts";
    Parallel.run(log, "receive", threads, boxes.size(), "boxes", 1, i -> {
      Box box = boxes.get(i);
      User tech = techs.get(i % techs.size());
      call("receipt open", () -> client.post(base, tech.token(), map("boxCode", box.boxCode())), 200);
      for (String tube : box.tubes()) {
        ApiResponse r = call("receipt scan", () -> client.post(base + "/" + box.boxCode() + "/tubes", tech.token(),
            map("tubeCode", tube)), 200);
        if (!"RECEIVED".equals(r.text("status"))) {
          errors.add("receipt scan", "200 " + r.text("status"), "tube " + tube + " of box " + box.boxCode());
          throw new IllegalStateException("tube " + tube + " of box " + box.boxCode() + " scanned " + r.text("status"));
        }
      }
      ApiResponse closed = call("receipt close", () -> client.post(base + "/" + box.boxCode() + "/close", tech.token(),
          Map.of()), 200);
      if (closed.body().path("received").asInt(-1) != box.tubes().size()) {
        errors.add("receipt close", "200 incomplete", closed.body().toString());
        throw new IllegalStateException("box " + box.boxCode() + " closed with " + closed.body());
      }
    });
  }

  /**
   * One setup request, retried on transport failure, 5xx or 429 (up to {@value #ATTEMPTS} attempts);
   * anything but {@code expected} in the end throws.
   */
  ApiResponse call(String what, Supplier<ApiResponse> request, int expected) {
    ApiResponse r = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      r = request.get();
      if (r.status() == expected) {
        return r;
      }
      errors.add(what, r, attempt > 1 ? "attempt " + attempt : null);
      boolean retry = r.isTransportFailure() || r.status() >= 500 || r.status() == 429;
      if (!retry) {
        break;
      }
      try {
        Thread.sleep(250L * attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ApiException(what, r);
  }

  public static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** A version-4 UUID from a non-blocking source (the key only has to be unique, not secret). */
  public static UUID fastUuid() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }
}
