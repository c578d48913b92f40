package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Fever-clinic visits during the day (issue 18, M3): persons on resident accounts visit a
 * designated hospital's fever clinic at the rate of {@code --fever-visit-rate}; the hospital
 * reports each visit (temperature, symptoms, most with a test taken). The invariants: every visit
 * the server took is on record at its hospital, and every alert of the fever clinics and the early
 * warning is explained by its rule. Visits leave results and health codes alone. Skipped when the
 * server has no fever clinics (404).
 */
final class FeverClinics implements Runnable {

  /** Visits a hospital's list answers at most in one read; the city makes enough hospitals to stay below it. */
  private static final int VISITS_PER_HOSPITAL = 150;

  private final CityDay day;
  private final List<String> hospitals = new ArrayList<>();
  private final List<City.Staff> staff = new ArrayList<>();
  private final List<Person> visitors = new ArrayList<>();
  /** Visit id → hospital code, for every visit the server took. */
  private final Map<String, String> made = new ConcurrentHashMap<>();
  /** Visit ids reported without a test. */
  private final Set<String> untested = ConcurrentHashMap.newKeySet();
  private volatile boolean on;

  FeverClinics(CityDay day) {
    this.day = day;
  }

  /** Chooses the visitors and designates the hospitals with their accounts; false when the server has none. */
  boolean setup() {
    if (day.o.feverVisitRate <= 0) {
      return false;
    }
    Random r = new Random(day.o.seed ^ 0xFE7E2L);
    for (Person p : day.city.persons) {
      if (p.account != null && p.personId != null && r.nextDouble() < day.o.feverVisitRate) {
        visitors.add(p);
      }
    }
    if (visitors.isEmpty()) {
      return false;
    }
    int count = Math.max(1, (visitors.size() + VISITS_PER_HOSPITAL - 1) / VISITS_PER_HOSPITAL);
    for (int h = 0; h < count; h++) {
      String code = String.format(java.util.Locale.ROOT, "%s-h%02d", day.city.district, h + 1);
      ApiResponse res = day.http.post("POST /hospitals", "/api/v1/hospitals", day.city.adminToken,
          City.map("code", code, "name", "Hospital " + (h + 1) + " (" + day.city.prefix + ")", "districtCode", day.city.district));
      if (res.status() == 404) {
        day.log.info("the server has no fever clinics (404): fever-clinic visits skipped");
        return false;
      }
      if (!res.is2xx()) {
        day.metrics.error("POST /hospitals", res, code);
        return false;
      }
      hospitals.add(code);
      staff.add(day.city.hospitalUser((code + "-fever").toLowerCase(java.util.Locale.ROOT), code));
    }
    on = true;
    day.log.info("%d residents will visit a fever clinic, at %d designated hospitals", visitors.size(), hospitals.size());
    return true;
  }

  boolean on() {
    return on;
  }

  /** Reports the visits, spread over the first part of the day, while the day runs. */
  @Override
  public void run() {
    Random r = new Random(day.o.seed ^ 0xF1E7L);
    for (int i = 0; i < visitors.size() && !day.finished(); i++) {
      Person p = visitors.get(i);
      int h = i % hospitals.size();
      boolean tested = r.nextDouble() < 0.8;
      double temperature = Math.round((37.0 + r.nextDouble() * 2.5) * 10) / 10.0;
      ApiResponse res = day.http.post("POST /fever-clinic/visits", "/api/v1/fever-clinic/visits", staff.get(h).token(),
          City.map("idType", "CN_ID", "idNumber", p.idNumber(), "name", p.name(), "temperature", temperature,
              "symptoms", r.nextBoolean() ? List.of("FEVER", "COUGH") : List.of("FEVER"), "tested", tested));
      if (res.status() == 201) {
        String id = res.text("visitId");
        made.put(id, hospitals.get(h));
        if (!tested) {
          untested.add(id);
        }
      } else {
        day.metrics.error("POST /fever-clinic/visits", res, "person on an account");
      }
      CityDay.sleep(20 + r.nextInt(40));
    }
  }

  /** Every visit the server took is listed at its hospital. */
  Invariants.Check checkRecorded() {
    Set<String> missing = new HashSet<>(made.keySet());
    for (int h = 0; h < hospitals.size(); h++) {
      ApiResponse res = day.http.get("GET /fever-clinic/visits", "/api/v1/fever-clinic/visits?hours=48", staff.get(h).token());
      if (res.status() == 200) {
        String hospital = hospitals.get(h);
        res.body().forEach(v -> {
          String id = v.path("visitId").asText(null);
          if (id != null && hospital.equals(v.path("hospitalCode").asText()) && hospital.equals(made.get(id))) {
            missing.remove(id);
          }
        });
      } else {
        day.metrics.error("GET /fever-clinic/visits", res, hospitals.get(h));
      }
    }
    return new Invariants.Check("every fever-clinic visit reported is on record at its hospital", missing.isEmpty(),
        made.size() + " visits by " + visitors.size() + " residents at " + hospitals.size() + " hospitals, "
            + (made.size() - missing.size()) + " on record" + (missing.isEmpty() ? "" : "; missing e.g. " + missing.iterator().next()));
  }

  /**
   * Every EARLY_WARNING alert names an episode of its rule (open or of the last two days), and
   * every FEVER_VISIT_UNTESTED alert of this city's hospitals names a visit reported untested.
   */
  Invariants.Check checkAlerts() {
    String official = day.city.official.token();
    ApiResponse alerts = day.http.get("GET /dashboard/alerts", "/api/v1/dashboard/alerts", official);
    ApiResponse warnings = day.http.get("GET /early-warnings", "/api/v1/early-warnings?open=false&days=2", official);
    if (alerts.status() != 200 || warnings.status() != 200) {
      return new Invariants.Check("every fever-clinic and early-warning alert is explained by its rule", false,
          "could not read alerts (" + alerts.status() + ") or early warnings (" + warnings.status() + ")");
    }
    Map<String, String> ruleOf = new HashMap<>();
    warnings.body().forEach(w -> ruleOf.put(w.path("id").asText(), w.path("rule").asText()));
    List<String> unexplained = new ArrayList<>();
    int[] counts = new int[2];
    alerts.body().forEach(a -> {
      String kind = a.path("kind").asText();
      String subject = a.path("subject").asText();
      if ("EARLY_WARNING".equals(kind)) {
        counts[0]++;
        int hash = subject.lastIndexOf('#');
        String rule = ruleOf.get(hash < 0 ? "" : subject.substring(hash + 1));
        if (rule == null || !subject.startsWith(rule + " / ") || a.path("detail").asText("").isBlank()) {
          unexplained.add(subject);
        }
      } else if ("FEVER_VISIT_UNTESTED".equals(kind) && hospitals.stream().anyMatch(h -> subject.contains(" / " + h + " / "))) {
        counts[1]++;
        String prefix = subject.substring(subject.lastIndexOf(" / ") + 3);
        if (untested.stream().noneMatch(id -> id.startsWith(prefix))) {
          unexplained.add(subject);
        }
      }
    });
    return new Invariants.Check("every fever-clinic and early-warning alert is explained by its rule", unexplained.isEmpty(),
        counts[0] + " early-warning alerts (" + ruleOf.size() + " episodes in 2 days), " + counts[1] + " untested-visitor alerts of "
            + untested.size() + " untested visits" + (unexplained.isEmpty() ? "" : "; unexplained e.g. " + unexplained.get(0)));
  }
}
