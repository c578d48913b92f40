package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.epiloop.simulator.api.ApiResponse;

/**
 * The invariants of a testing day, checked over the API as an official would
 * ({@code POST /results/lookup}, {@code GET /dashboard/alerts}, {@code GET /boxes/{box}}) against
 * what the simulator did.
 */
final class Invariants {

  /** One check: its name, whether it passed, and what was found. */
  public record Check(String name, boolean passed, String detail) {}

  /** One answer of the bulk lookup. */
  record Standing(boolean found, int samplings, int released, String currentStatus) {
    boolean isFinal() {
      return found && samplings > 0 && released == samplings && ("NEGATIVE".equals(currentStatus) || "POSITIVE".equals(currentStatus));
    }
  }

  private static final int BATCH = 1000;

  private final CityDay day;
  private final Map<Person, Standing> standings = new HashMap<>();

  Invariants(CityDay day) {
    this.day = day;
  }

  /** Waits (at most {@code --settle-seconds}) until every sampled person has a final, released result. */
  void settle() {
    List<Person> sampled = day.city.persons.stream().filter(Person::sampled).toList();
    long deadline = System.nanoTime() + day.o.settleSeconds * 1_000_000_000L;
    List<Person> open = sampled;
    int rounds = 0;
    while (true) {
      lookup(open);
      rounds++;
      open = open.stream().filter(p -> standings.get(p) == null || !standings.get(p).isFinal()).toList();
      if (open.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      day.log.info("settling: %d persons without a final result yet", open.size());
      CityDay.sleep(2000);
    }
    day.log.info("settled after %d lookup rounds: %d of %d sampled persons have a final result", rounds, sampled.size() - open.size(),
        sampled.size());
  }

  private void lookup(List<Person> persons) {
    for (int from = 0; from < persons.size(); from += BATCH) {
      List<Person> chunk = persons.subList(from, Math.min(persons.size(), from + BATCH));
      List<Map<String, String>> body = chunk.stream().map(p -> Map.of("idType", "CN_ID", "idNumber", p.idNumber())).toList();
      ApiResponse r = day.http.post("POST /results/lookup", "/api/v1/results/lookup", day.city.official.token(), Map.of("persons", body));
      if (r.status() != 200 || r.body().size() != chunk.size()) {
        continue;
      }
      for (int i = 0; i < chunk.size(); i++) {
        JsonNode n = r.body().get(i);
        standings.put(chunk.get(i), new Standing(n.path("found").asBoolean(), n.path("samplings").asInt(), n.path("released").asInt(),
            n.path("currentStatus").isNull() ? null : n.path("currentStatus").asText(null)));
      }
    }
  }

  List<Check> check() {
    List<Check> checks = new ArrayList<>();
    List<Person> persons = day.city.persons;
    List<Person> sampled = persons.stream().filter(Person::sampled).toList();

    // 0. everyone who came was sampled
    long failed = persons.stream().filter(p -> !p.sampled()).count();
    checks.add(new Check("every resident who came was sampled", failed == 0,
        (persons.size() - failed) + " of " + persons.size() + " persons bound to a tube" + (failed == 0 ? "" : "; " + failed + " never bound")));

    // 1. persons sampled == persons with exactly one current (final) status
    long withFinal = sampled.stream().filter(p -> standings.containsKey(p) && standings.get(p).isFinal()).count();
    Map<String, Long> byStatus = sampled.stream().map(p -> standings.containsKey(p) ? String.valueOf(standings.get(p).currentStatus())
        : "not looked up").collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting()));
    checks.add(new Check("persons sampled == persons with exactly one current status", withFinal == sampled.size(),
        sampled.size() + " persons sampled, " + withFinal + " with every sampling released and one final current status; current "
            + "statuses " + byStatus));

    // 2. the results are the infections: every infected person POSITIVE, nobody else
    List<String> wrong = new ArrayList<>();
    long infected = 0;
    for (Person p : sampled) {
      Standing s = standings.get(p);
      if (p.infected) {
        infected++;
      }
      String want = p.infected ? "POSITIVE" : "NEGATIVE";
      if (s != null && s.isFinal() && !want.equals(s.currentStatus())) {
        wrong.add("person " + p.index + " " + s.currentStatus() + " (infected " + p.infected + ")");
      }
    }
    long positives = sampled.stream().filter(p -> standings.containsKey(p) && "POSITIVE".equals(standings.get(p).currentStatus())).count();
    checks.add(new Check("every infected person POSITIVE, nobody else", wrong.isEmpty(),
        infected + " infected persons sampled, " + positives + " POSITIVE" + (wrong.isEmpty() ? "" : "; wrong: " + first(wrong))));

    // 3. every member of a positive pool recalled and retested
    List<String> notRetested = new ArrayList<>();
    int members = 0;
    for (Tube t : day.positivePools.values()) {
      int listed = day.recallCounts.getOrDefault(t.code, 0);
      if (listed < t.size()) {
        notRetested.add(t.code + ": " + listed + " of " + t.size() + " members on the recall list");
      }
      for (Person p : t.members()) {
        members++;
        List<Tube> after = p.tubes();
        int at = after.indexOf(t);
        boolean retested = after.subList(at + 1, after.size()).stream().anyMatch(x -> x.capacity == 1 && x.releasedAt != null);
        Standing s = standings.get(p);
        if (!retested || s == null || s.samplings() < 2 || !s.isFinal()) {
          notRetested.add("person " + p.index + " of " + t.code + (retested ? "" : " not retested in a single tube")
              + (s == null ? " not looked up" : " (" + s + ")"));
        }
      }
    }
    checks.add(new Check("every member of a positive pool recalled and retested", notRetested.isEmpty(),
        day.positivePools.size() + " positive pools, " + members + " members recalled and retested in single tubes"
            + (notRetested.isEmpty() ? "" : "; not: " + first(notRetested))));

    // 4. every positive single tube raised a critical alert
    Set<String> alerted = new HashSet<>();
    ApiResponse alerts = day.http.get("GET /dashboard/alerts", "/api/v1/dashboard/alerts", day.city.official.token());
    alerts.body().forEach(a -> {
      if ("CRITICAL_RESULT".equals(a.path("kind").asText())) {
        alerted.add(a.path("subject").asText());
      }
    });
    List<String> silent = day.positiveSingles.keySet().stream().filter(t -> !alerted.contains(t)).sorted().toList();
    checks.add(new Check("every positive single tube raised a critical alert", alerts.status() == 200 && silent.isEmpty(),
        day.positiveSingles.size() + " positive single tubes, " + (day.positiveSingles.size() - silent.size())
            + " with a CRITICAL_RESULT alert" + (alerts.status() == 200 ? "" : "; GET /dashboard/alerts answered " + alerts.errorKey())
            + (silent.isEmpty() ? "" : "; no alert for " + first(silent))));

    // 5. no binding duplicated by retries
    List<String> dup = new ArrayList<>();
    long bindings = 0;
    long serverSamplings = 0;
    for (Person p : sampled) {
      Standing s = standings.get(p);
      bindings += p.bindings();
      if (s != null) {
        serverSamplings += s.samplings();
        if (s.samplings() != p.bindings()) {
          dup.add("person " + p.index + ": " + s.samplings() + " samplings on the server, " + p.bindings() + " bindings made");
        }
      }
    }
    dup.addAll(day.retryMismatches);
    dup.addAll(day.duplicateBindings);
    checks.add(new Check("no binding duplicated by retries", dup.isEmpty(),
        bindings + " bindings made, " + serverSamplings + " samplings on the server; " + day.metrics.counter(
            "fault: scans sent again with the same key (sequential)") + "+" + day.metrics.counter(
            "fault: scans sent again with the same key (concurrent)") + " scans repeated with their key, "
            + day.metrics.counter("fault: duplicate scans (new key)") + " duplicate scans, " + day.metrics.counter(
            "fault: scans sent with the previous scan's key") + " scans with a reused key, " + day.metrics.counter(
            "fault: queued operations replayed") + " offline operations replayed" + (dup.isEmpty() ? "" : "; " + first(dup))));

    // 6. box and tube counts reconcile
    checks.add(reconcile());

    // 6b. every lab's kit lot lost exactly the wells its plates had (lab quality, ADR 0026)
    if (!day.city.kitLots.isEmpty() && day.city.kitLots.get(0) != null) {
      checks.add(kitStock());
    }

    // 7. residents see what the lab released
    checks.add(new Check("residents see their results and matching health codes", day.residentMismatches.isEmpty(),
        day.metrics.stages().stream().filter(s -> s.name.equals("residents")).findFirst().map(s -> s.count.sum()).orElse(0L)
            + " result checks, " + day.metrics.stages().stream().filter(s -> s.name.equals("health codes")).findFirst()
            .map(s -> s.count.sum()).orElse(0L) + " health codes verified" + (day.residentMismatches.isEmpty() ? ""
            : "; " + first(new ArrayList<>(day.residentMismatches)))));

    // 8. with venues: every case's tracing list is exactly the contacts the simulator's check-ins make
    if (day.venuesOn && day.casesOn) {
      checks.add(new CaseTracing(day).check());
    }

    // 9. with declarations: every declaration produced its follow-up task in its grid
    if (day.declarations.on()) {
      checks.add(day.declarations.check());
    }

    // 10. with --site-stock: the settlement took exactly what the day used, and no stock is negative
    if (day.supplies.on()) {
      checks.add(day.supplies.check());
    }
    // 11. with fever clinics: every visit a hospital reported is on record; 12. every alert of
    // fever clinics and early warning is explained by its rule (an open or recent episode, or an untested visit)
    if (day.feverClinics.on()) {
      checks.add(day.feverClinics.checkRecorded());
      checks.add(day.feverClinics.checkAlerts());
    }
    return checks;
  }

  private Check kitStock() {
    List<String> problems = new ArrayList<>();
    long used = 0;
    for (int l = 0; l < day.o.labs; l++) {
      String lab = day.city.lab(l);
      long expected = City.KIT_REACTIONS - day.kitReactions.get(l).get();
      used += day.kitReactions.get(l).get();
      ApiResponse r = day.http.get("GET /labs/{lab}/reagent-lots", "/api/v1/labs/" + lab + "/reagent-lots",
          day.city.techs.get(l).get(0).token());
      long remaining = -1;
      for (com.fasterxml.jackson.databind.JsonNode lot : r.body()) {
        if (lot.path("lotNumber").asText().equals(day.city.kitLots.get(l))) {
          remaining = lot.path("remaining").asLong();
        }
      }
      if (remaining != expected) {
        problems.add(lab + ": kit lot has " + remaining + " reactions left, expected " + expected);
      }
    }
    return new Check("kit lots lost exactly the wells plated (samples and controls)", problems.isEmpty(),
        used + " reactions used; " + day.metrics.counter("QC: runs with a 1-2s warning") + " QC warnings, "
            + day.metrics.counter("QC: runs held by a Westgard rejection") + " runs held by a rejection, "
            + day.metrics.counter("QC: corrective actions recorded") + " corrective actions" + (problems.isEmpty() ? "" : "; " + first(problems)));
  }

  private Check reconcile() {
    List<String> problems = new ArrayList<>(day.reconcileProblems);
    int boxesOk = 0;
    int boxTubes = 0;
    for (Box b : day.boxes) {
      boxTubes += b.tubes.size();
      ApiResponse r = day.http.get("GET /boxes/{box}", "/api/v1/boxes/" + b.code, day.city.official.token());
      if (r.status() != 200) {
        problems.add("box " + b.code + ": GET answered " + r.errorKey());
        continue;
      }
      boolean ok = "RECEIVED".equals(r.text("status")) && r.body().path("tubeCount").asInt(-1) == b.tubes.size()
          && day.city.lab(b.lab).equals(r.text("labCode")) && b.reconciled;
      if (ok) {
        boxesOk++;
      } else {
        problems.add("box " + b.code + ": " + r.text("status") + ", tubeCount " + r.body().path("tubeCount").asText() + " (packed "
            + b.tubes.size() + "), lab " + r.text("labCode") + ", receipt reconciled " + b.reconciled);
      }
    }
    List<Tube> sealed = day.tubes.stream().filter(t -> t.sealed).toList();
    long packed = sealed.stream().filter(t -> t.box != null).count();
    long received = sealed.stream().filter(t -> t.receivedAt != null).count();
    long lost = sealed.stream().filter(t -> t.outcome == Tube.Outcome.LOST).count();
    long missing = sealed.stream().filter(t -> "MISSING".equals(t.lostReason)).count();
    long rejected = sealed.stream().filter(t -> "REJECTED".equals(t.lostReason)).count();
    long tested = sealed.stream().filter(t -> t.releasedAt != null).count();
    long abandoned = sealed.stream().filter(t -> t.outcome == Tube.Outcome.ABANDONED).count();
    long inTubes = day.tubes.stream().mapToLong(Tube::size).sum();
    long bindings = day.city.persons.stream().mapToLong(Person::bindings).sum();
    if (packed != sealed.size()) {
      problems.add(sealed.size() + " tubes sealed but " + packed + " packed");
    }
    if (boxTubes != packed) {
      problems.add(boxTubes + " tubes in boxes but " + packed + " tubes packed");
    }
    if (received + missing != packed) {
      problems.add(packed + " tubes packed, " + received + " received + " + missing + " missing");
    }
    if (tested + rejected != received) {
      problems.add(received + " tubes received, " + tested + " tested + " + rejected + " rejected");
    }
    if (tested + lost + abandoned != sealed.size()) {
      problems.add(sealed.size() + " tubes sealed, " + tested + " tested + " + lost + " lost + " + abandoned + " abandoned");
    }
    if (inTubes != bindings) {
      problems.add(inTubes + " persons in tubes, " + bindings + " bindings");
    }
    int runTubes = day.runs.stream().mapToInt(r -> r.tubes.size()).sum();
    if (runTubes != tested) {
      problems.add(runTubes + " tubes on released plates, " + tested + " tubes tested");
    }
    return new Check("box and tube counts reconcile", problems.isEmpty(),
        day.boxes.size() + " boxes (" + boxesOk + " received with their count and a matching discrepancy report); tubes: " + sealed.size()
            + " sealed = " + packed + " packed = " + received + " received + " + missing + " missing; " + received + " received = " + tested
            + " tested on " + day.runs.size() + " runs + " + rejected + " rejected; " + inTubes + " persons in tubes = " + bindings
            + " bindings" + (problems.isEmpty() ? "" : "; problems: " + first(problems)));
  }

  static String first(List<String> items) {
    int n = items.size();
    String shown = items.stream().limit(5).collect(Collectors.joining("; "));
    return n > 5 ? shown + " … (" + n + " in all)" : shown;
  }
}
