package org.epiloop.simulator.day;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.data.ChineseNames;
import org.epiloop.simulator.data.IdNumberGenerator;

/**
 * The synthetic city, created through the admin API: a district, sites, labs, staff (collectors,
 * couriers, lab technicians and reviewers, an official), optionally venues; and its residents
 * with valid ID numbers, some of them pre-registered on resident accounts (phone, one-time
 * code from the development SMS outbox, the holder and family members, an appointment code
 * each). Every code carries a random run prefix, so runs never collide on one server.
 */
final class City {

  record Staff(String username, String token) {}

  record Venue(String code, String token) {}

  private static final Pattern LOGIN_CODE = Pattern.compile("login code: (\\d{6})");
  private static final Pattern LINK_CODE = Pattern.compile("code:? (\\d{6})");
  /** Around Suqian (33.96 N, 118.28 E). */
  private static final double LAT = 33.96;
  private static final double LON = 118.28;

  final String prefix;
  final String district;
  final List<String> sites = new ArrayList<>();
  final List<double[]> siteLocations = new ArrayList<>();
  final List<String> labs = new ArrayList<>();
  final List<double[]> labLocations = new ArrayList<>();
  final List<List<Staff>> collectors = new ArrayList<>();
  final List<Staff> couriers = new ArrayList<>();
  final List<List<Staff>> techs = new ArrayList<>();
  final List<Staff> reviewers = new ArrayList<>();
  /** Per lab: the kit lot and cycler its plates name (null when the server keeps no lab quality). */
  final List<String> kitLots = new ArrayList<>();
  final List<String> cyclers = new ArrayList<>();
  /** Reactions in each lab's kit lot at the start of the day. */
  static final int KIT_REACTIONS = 1_000_000;
  final List<Venue> venues = new ArrayList<>();
  Staff official;
  String adminToken;

  final List<Person> persons = new ArrayList<>();
  final List<Account> accounts = new ArrayList<>();
  /** Per site, the order in which families and individuals arrive. */
  final List<List<List<Person>>> arrivals = new ArrayList<>();

  private final DayOptions o;
  private final Http http;
  private final Metrics metrics;
  private final Log log;
  private final String password;
  private final PhoneNumbers phones;

  City(DayOptions o, Http http, Metrics metrics, Log log) {
    this.o = o;
    this.http = http;
    this.metrics = metrics;
    this.log = log;
    SecureRandom sr = new SecureRandom();
    this.prefix = randomPrefix(sr);
    this.district = "cd-" + prefix;
    this.password = "pw-" + Long.toHexString(sr.nextLong()) + Long.toHexString(sr.nextLong());
    this.phones = new PhoneNumbers(o.seed ^ prefix.hashCode() * 0x9E3779B97F4A7C15L);
  }

  /** 6 characters of [a-z0-9], starting with a letter. */
  static String randomPrefix(java.util.Random r) {
    String letters = "abcdefghijklmnopqrstuvwxyz";
    String alnum = letters + "0123456789";
    StringBuilder b = new StringBuilder().append(letters.charAt(r.nextInt(letters.length())));
    for (int i = 1; i < 6; i++) {
      b.append(alnum.charAt(r.nextInt(alnum.length())));
    }
    return b.toString();
  }

  String site(int i) {
    return sites.get(i);
  }

  /** The staff accounts' shared password: a test logs in as the day's lab director with it. */
  String staffPassword() {
    return password;
  }

  /** The username of lab {@code i}'s director (from 0), whom {@link #labQuality()} makes. */
  String directorOf(int i) {
    return String.format(Locale.ROOT, "%s-d%02d", district, i + 1);
  }

  String lab(int i) {
    return labs.get(i);
  }

  /** District, sites, labs and staff, each staff member logged in. */
  void directory() {
    adminToken = http.client().login("admin", o.adminPassword);
    create("POST /districts", "/api/v1/districts", map("code", district, "name", "Simulated city " + prefix));
    SplittableRandom r = new SplittableRandom(o.seed);
    for (int s = 0; s < o.sites; s++) {
      String code = String.format(Locale.ROOT, "%s-s%02d", district, s + 1);
      double lat = LAT + r.nextDouble(-0.08, 0.08);
      double lon = LON + r.nextDouble(-0.08, 0.08);
      create("POST /sites", "/api/v1/sites", map("code", code, "name", "Sampling site " + (s + 1) + " (" + prefix + ")",
          "districtCode", district, "latitude", lat, "longitude", lon));
      sites.add(code);
      siteLocations.add(new double[] {lat, lon});
    }
    int tubesPerLab = (int) Math.min(1_000_000, 2L * o.persons / Math.max(1, o.labs) + 1000);
    for (int l = 0; l < o.labs; l++) {
      String code = String.format(Locale.ROOT, "%s-l%02d", district, l + 1);
      create("POST /labs", "/api/v1/labs", map("code", code, "name", "PCR lab " + (l + 1) + " (" + prefix + ")",
          "districtCode", district, "dailyCapacity", tubesPerLab));
      labs.add(code);
      labLocations.add(new double[] {LAT + r.nextDouble(-0.05, 0.05), LON + r.nextDouble(-0.05, 0.05)});
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Staff>> cs = new ArrayList<>();
      for (int s = 0; s < o.sites; s++) {
        for (int c = 0; c < o.collectorsPerSite; c++) {
          String name = String.format(Locale.ROOT, "%s-c%02d%02d", district, s + 1, c + 1);
          String site = sites.get(s);
          cs.add(pool.submit(() -> user(name, "COLLECTOR", "siteCode", site)));
        }
      }
      List<Future<Staff>> ks = new ArrayList<>();
      for (int k = 0; k < o.couriers; k++) {
        String name = String.format(Locale.ROOT, "%s-k%03d", district, k + 1);
        ks.add(pool.submit(() -> user(name, "COURIER", null, null)));
      }
      List<Future<Staff>> ts = new ArrayList<>();
      List<Future<Staff>> rs = new ArrayList<>();
      for (int l = 0; l < o.labs; l++) {
        String lab = labs.get(l);
        for (int t = 0; t < o.labTechs; t++) {
          String name = String.format(Locale.ROOT, "%s-t%02d%02d", district, l + 1, t + 1);
          ts.add(pool.submit(() -> user(name, "LAB_TECH", "labCode", lab)));
        }
        String name = String.format(Locale.ROOT, "%s-r%02d", district, l + 1);
        rs.add(pool.submit(() -> user(name, "LAB_REVIEWER", "labCode", lab)));
      }
      Future<Staff> off = pool.submit(() -> user(district + "-official", "OFFICIAL", null, null));
      for (int s = 0; s < o.sites; s++) {
        List<Staff> site = new ArrayList<>();
        for (int c = 0; c < o.collectorsPerSite; c++) {
          site.add(cs.get(s * o.collectorsPerSite + c).get());
        }
        collectors.add(site);
      }
      for (Future<Staff> f : ks) {
        couriers.add(f.get());
      }
      for (int l = 0; l < o.labs; l++) {
        List<Staff> lab = new ArrayList<>();
        for (int t = 0; t < o.labTechs; t++) {
          lab.add(ts.get(l * o.labTechs + t).get());
        }
        techs.add(lab);
        reviewers.add(rs.get(l).get());
      }
      official = off.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    } finally {
      pool.shutdown();
    }
    labQuality();
    log.info("city %s: district %s, %d sites x %d collectors, %d labs x (%d technicians + 1 reviewer), %d couriers, 1 official",
        prefix, district, o.sites, o.collectorsPerSite, o.labs, o.labTechs, o.couriers);
  }

  /**
   * Each lab's director registers a positive-control lot with its target values, a kit lot of
   * {@link #KIT_REACTIONS} reactions (expiring in six months) and a calibrated PCR cycler, so the
   * day's plates name a lot and a cycler and their controls are judged by the Westgard rules. A
   * server without lab quality (404) leaves the lists empty of lots: plates then name none.
   */
  private void labQuality() {
    String in6Months = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Shanghai")).plusMonths(6).toString();
    for (int l = 0; l < labs.size(); l++) {
      String lab = labs.get(l);
      Staff director = user(directorOf(l), "LAB_DIRECTOR", "labCode", lab);
      String kit = String.format(Locale.ROOT, "KIT-%s-%02d", prefix, l + 1);
      String cycler = String.format(Locale.ROOT, "PCR-%s-%02d", prefix, l + 1);
      ApiResponse qc = http.post("POST /labs/{lab}/qc/lots", "/api/v1/labs/" + lab + "/qc/lots", director.token(), map(
          "material", "SARS-CoV-2 positive control", "level", 1, "lotNumber", String.format(Locale.ROOT, "PC-%s-%02d", prefix, l + 1),
          "expiresOn", in6Months, "targets", List.of(
              map("target", "ORF1ab", "mean", Instrument.PC_ORF1AB_MEAN, "sd", Instrument.PC_SD),
              map("target", "N", "mean", Instrument.PC_N_MEAN, "sd", Instrument.PC_SD),
              map("target", "IC", "mean", Instrument.PC_IC_MEAN, "sd", Instrument.PC_SD))), "NOT_FOUND");
      if (qc.status() == 404) {
        kitLots.add(null);
        cyclers.add(null);
        continue;
      }
      create("POST /labs/{lab}/reagent-lots", "/api/v1/labs/" + lab + "/reagent-lots", director.token(), map("item", "SARS-CoV-2 PCR kit",
          "kind", "KIT", "lotNumber", kit, "expiresOn", in6Months, "quantity", KIT_REACTIONS, "lowAt", 1000));
      ApiResponse cyc = http.post("POST /labs/{lab}/instruments", "/api/v1/labs/" + lab + "/instruments", director.token(), map("code", cycler,
          "kind", "PCR_CYCLER", "name", "PCR cycler " + (l + 1), "calibrationDue", in6Months, "maintenanceDue", in6Months));
      if (qc.status() != 201 || cyc.status() != 200) {
        throw new IllegalStateException("lab quality setup of " + lab + " failed: " + qc.errorKey() + ", " + cyc.errorKey());
      }
      kitLots.add(kit);
      cyclers.add(cycler);
    }
  }

  /** A fever-clinic account of a designated hospital, logged in (issue 18, M3). */
  Staff hospitalUser(String username, String hospitalCode) {
    return user(username, "HOSPITAL", "hospitalCode", hospitalCode);
  }

  private Staff user(String username, String role, String scopeField, String scope) {
    Map<String, Object> body = map("username", username, "password", password, "role", role);
    if (scopeField != null) {
      body.put(scopeField, scope);
    }
    create("POST /admin/users", "/api/v1/admin/users", body);
    return new Staff(username, http.client().login(username, password));
  }

  /**
   * The residents: valid, never repeated ID numbers and names; infected with the prevalence;
   * a share sampled in single tubes; a share pre-registered on accounts of 1..familyMax
   * persons (a family lives at one site and comes together).
   */
  void residents() {
    SplittableRandom r = new SplittableRandom(o.seed * 31 + 7);
    IdNumberGenerator ids = new IdNumberGenerator(o.seed ^ ((long) prefix.hashCode() << 20) ^ 0x5DEECE66DL);
    int withAccounts = (int) Math.round(o.persons * o.appointmentShare);
    List<List<List<Person>>> bySite = new ArrayList<>();
    for (int s = 0; s < o.sites; s++) {
      bySite.add(new ArrayList<>());
    }
    int i = 0;
    while (i < o.persons) {
      int site = r.nextInt(o.sites);
      int size = 1;
      Account account = null;
      if (i < withAccounts) {
        size = Math.min(1 + r.nextInt(o.familyMax), withAccounts - i);
        account = new Account(phones.next());
        accounts.add(account);
      }
      List<Person> group = new ArrayList<>();
      for (int k = 0; k < size; k++, i++) {
        Person p = new Person(i, ids.number(i), ChineseNames.next(r), site, r.nextDouble() < o.prevalence,
            r.nextDouble() < o.singleShare);
        p.account = account;
        if (account != null) {
          account.persons.add(p);
        }
        persons.add(p);
        group.add(p);
      }
      bySite.get(site).add(List.copyOf(group)); // exact size: most groups are one person
    }
    int caseAccounts = 0;
    if (o.venues) {
      // Contact tracing follows the venue codes a phone scanned: with venues, every infected
      // person (a future case) has the app, so a resident account of their own if none yet.
      // Without an account they come alone, so their arrival group stays the same.
      for (Person p : persons) {
        if (p.infected && p.account == null) {
          Account account = new Account(phones.next());
          account.persons.add(p);
          p.account = account;
          accounts.add(account);
          caseAccounts++;
        }
      }
    }
    for (List<List<Person>> site : bySite) {
      Collections.shuffle(site, new java.util.Random(r.nextLong()));
      arrivals.add(site);
    }
    long infected = persons.stream().filter(p -> p.infected).count();
    log.info("%d residents (%d infected), %d of them on %d resident accounts%s", persons.size(), infected, withAccounts + caseAccounts,
        accounts.size(), caseAccounts == 0 ? "" : " (" + caseAccounts + " accounts of infected persons, for venue check-ins)");
  }

  /**
   * Pre-registration: each account logs in with a one-time code read from the development SMS
   * outbox, adds its persons and fetches an appointment code for each; {@code threads} accounts
   * at a time. An account that fails is left out (its persons bind by ID card on site).
   */
  void preRegister(int threads) throws InterruptedException {
    if (accounts.isEmpty()) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    for (Account a : accounts) {
      pool.execute(() -> {
        try {
          if (!register(a)) {
            failed.incrementAndGet();
          }
        } catch (RuntimeException e) {
          failed.incrementAndGet();
          metrics.error("pre-registration", "exception " + e.getClass().getSimpleName(), e.getMessage());
        }
        int n = done.incrementAndGet();
        if (n % 500 == 0) {
          log.info("pre-registration: %d of %d accounts", n, accounts.size());
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(1, java.util.concurrent.TimeUnit.DAYS);
    log.info("pre-registration: %d accounts, %d failed", accounts.size(), failed.get());
  }

  private boolean register(Account a) {
    String phone = a.phone;
    ApiResponse sent = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      sent = http.post("POST /resident/otp", "/api/v1/resident/otp", null, map("phone", phone), "OTP_RATE_LIMITED");
      if (sent.status() != 429) {
        break;
      }
      phone = phones.next(); // used by an earlier run a moment ago: take another number
    }
    if (sent == null || sent.status() != 202) {
      return false;
    }
    ApiResponse outbox = http.get("GET /admin/sms-outbox", "/api/v1/admin/sms-outbox?phone=" + phone + "&limit=5", adminToken);
    String code = null;
    for (com.fasterxml.jackson.databind.JsonNode m : outbox.body()) {
      Matcher matcher = LOGIN_CODE.matcher(m.path("text").asText());
      if (matcher.find()) {
        code = matcher.group(1);
        break;
      }
    }
    if (code == null) {
      metrics.error("GET /admin/sms-outbox", "no login code", "phone " + phone.substring(0, 3) + "****");
      return false;
    }
    ApiResponse session = http.post("POST /resident/session", "/api/v1/resident/session", null, map("phone", phone, "code", code));
    if (session.status() != 200 || session.text("accessToken") == null) {
      return false;
    }
    a.token = session.text("accessToken");
    for (Person p : a.persons) {
      p.personId = link(a, phone, p);
      if (p.personId == null) {
        continue;
      }
      ApiResponse appt = http.get("GET /resident/persons/{id}/appointment", "/api/v1/resident/persons/" + p.personId + "/appointment",
          a.token);
      if (appt.status() == 200) {
        p.appointmentCode = appt.text("appointmentCode");
      }
      metrics.stage("pre-registration");
    }
    return true;
  }

  /**
   * Adds a person to the account the way the resident page does (ADR 0014): the request, the code
   * texted to the account's own phone (the simulator's persons are new to the server), read from
   * the development SMS outbox once it has gone out, and its confirmation. The person's id, or
   * null when a step failed (the person then binds by ID card on site).
   */
  private String link(Account a, String phone, Person p) {
    ApiResponse asked = http.post("POST /resident/persons", "/api/v1/resident/persons", a.token,
        map("idType", "CN_ID", "idNumber", p.idNumber(), "name", p.name(), "districtCode", district));
    String linkId = asked.text("linkId");
    if (asked.status() != 202 || linkId == null) {
      return null;
    }
    String ref = "(ref " + linkId.substring(0, 6).toUpperCase(java.util.Locale.ROOT) + ")";
    String code = null;
    // the text goes out after the answer: look again for a few seconds
    for (int look = 0; look < 50 && code == null; look++) {
      if (look > 0) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      ApiResponse outbox = http.get("GET /admin/sms-outbox", "/api/v1/admin/sms-outbox?phone=" + phone + "&limit=5", adminToken);
      for (com.fasterxml.jackson.databind.JsonNode m : outbox.body()) {
        String text = m.path("text").asText();
        Matcher matcher = LINK_CODE.matcher(text);
        if (text.contains(ref) && matcher.find()) {
          code = matcher.group(1);
          break;
        }
      }
    }
    if (code == null) {
      metrics.error("GET /admin/sms-outbox", "no link code", "phone " + phone.substring(0, 3) + "****");
      return null;
    }
    ApiResponse linked = http.post("POST /resident/persons/links/{id}/confirmation",
        "/api/v1/resident/persons/links/" + linkId + "/confirmation", a.token, map("code", code));
    return linked.status() == 200 ? linked.text("personId") : null;
  }

  /** Venues (optional): false when the server has no venue API (404/405). */
  boolean venues(int count) {
    SplittableRandom r = new SplittableRandom(o.seed + 99);
    String[] kinds = {"RESTAURANT", "MARKET", "SHOP", "OFFICE", "STATION", "TRANSIT", "RESIDENTIAL"};
    for (int v = 0; v < count; v++) {
      ApiResponse res = http.post("POST /venues", "/api/v1/venues", adminToken, map("name", "Venue " + (v + 1) + " (" + prefix + ")",
          "districtCode", district, "kind", kinds[v % kinds.length], "latitude", LAT + r.nextDouble(-0.08, 0.08), "longitude",
          LON + r.nextDouble(-0.08, 0.08)), "NOT_FOUND");
      if (res.status() == 404 || res.status() == 405) {
        log.info("venues: the server answers %d to POST /api/v1/venues; the venue part of the day is skipped", res.status());
        return false;
      }
      if (res.status() != 201 || res.text("venueToken") == null) {
        return false;
      }
      venues.add(new Venue(res.text("venueCode"), res.text("venueToken")));
    }
    log.info("venues: %d registered", venues.size());
    return true;
  }

  private void create(String endpoint, String path, Map<String, Object> body) {
    create(endpoint, path, adminToken, body);
  }

  private void create(String endpoint, String path, String token, Map<String, Object> body) {
    ApiResponse r = http.post(endpoint, path, token, body);
    if (!r.is2xx()) {
      throw new ApiException(endpoint + " " + body.getOrDefault("code", body.getOrDefault("username", "")), r);
    }
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
