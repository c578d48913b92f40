package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.epiloop.simulator.api.ApiResponse;

/**
 * Residents with an account, told by SMS that a result is out, open the app: their family
 * member's results (the status the lab released must be there), and for a final result the
 * health code, which a checkpoint verifies online; with venues, a negative resident then
 * checks in at venues ({@link CaseTracing}).
 */
final class Residents {

  private final CityDay day;

  Residents(CityDay day) {
    this.day = day;
  }

  void check(Person p, String expected) {
    Account a = p.account;
    ApiResponse r = day.http.get("GET /resident/persons/{id}/results", "/api/v1/resident/persons/" + p.personId + "/results", a.token);
    if (r.status() != 200) {
      return;
    }
    day.metrics.stage("residents");
    boolean seen = false;
    for (JsonNode line : r.body()) {
      if (expected.equals(line.path("status").asText())) {
        seen = true;
      }
    }
    boolean isFinal = expected.equals("NEGATIVE") || expected.equals("POSITIVE");
    String newest = r.body().path(0).path("status").asText();
    if (!seen || (isFinal && !expected.equals(newest))) {
      day.residentMismatches.add("person " + p.index + " expected " + expected + ", the resident sees " + statuses(r.body()));
      return;
    }
    day.metrics.count("residents saw " + expected);
    if (!isFinal) {
      return;
    }
    p.residentChecked = true;
    java.time.Instant finalAt = p.finalAt();
    if (finalAt != null) {
      day.metrics.turnaround("resident: result out → seen in the app", Duration.between(finalAt, java.time.Instant.now()).toMillis());
    }
    ApiResponse code = day.http.get("GET /resident/persons/{id}/health-code", "/api/v1/resident/persons/" + p.personId + "/health-code",
        a.token);
    if (code.status() != 200) {
      return;
    }
    String color = code.text("color");
    day.metrics.count("health codes: " + expected + " → " + color);
    String want = expected.equals("POSITIVE") ? "RED" : "GREEN";
    if (!want.equals(color)) {
      day.residentMismatches.add("person " + p.index + " with a " + expected + " result has a " + color + " health code "
          + code.body().path("reasons"));
    }
    City.Staff checkpoint = day.city.collectors.get(p.site).get(0);
    ApiResponse v = day.http.post("POST /health-codes/verification", "/api/v1/health-codes/verification", checkpoint.token(),
        Map.of("token", String.valueOf(code.text("token"))));
    if (v.status() == 200) {
      day.metrics.stage("health codes");
      if (!v.body().path("valid").asBoolean() || !color.equals(v.text("color"))) {
        day.residentMismatches.add("health code of person " + p.index + " (" + color + ") verified as " + v.body());
      }
    }
    if (day.venuesOn && day.checkInsOn && expected.equals("NEGATIVE")) {
      new CaseTracing(day).negativeVisits(p);
    }
  }

  private static String statuses(JsonNode results) {
    StringBuilder b = new StringBuilder("[");
    for (JsonNode n : results) {
      if (b.length() > 1) {
        b.append(", ");
      }
      b.append(n.path("status").asText());
    }
    return b.append(']').toString();
  }
}
