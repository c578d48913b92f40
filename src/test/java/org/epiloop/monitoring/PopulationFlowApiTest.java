package org.epiloop.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Population flow (M5): arrivals per district and day by origin, from constructed declarations and check-ins. */
class PopulationFlowApiTest extends IntegrationTest {

  private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  private String district() {
    String code = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", code, "name", "区 " + code)), 201);
    return code;
  }

  @Test
  void arrivalsAreCountedOncePerPersonDistrictAndDayFromDeclarationsAndCheckIns() {
    String into = district();
    String home = district();
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", into)), 201);
    Api manager = staff("VENUE_MANAGER", null, null);
    String venueToken = ok(manager.post("/api/v1/venues", Api.obj("name", "商场", "districtCode", into, "kind", "MARKET",
        "latitude", 36.06, "longitude", 103.83)), 201).str("venueToken");
    Api resident = Residents.login(api(), admin(), Ids.phone());
    List<String> persons = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      persons.add(Residents.addPerson(resident, admin(), Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "流动" + i,
          "districtCode", i == 3 ? into : home)).str("personId"));
    }
    Instant arrived = clock.instant().minus(Duration.ofMinutes(1));
    for (int i = 0; i < 2; i++) {
      ok(resident.post("/api/v1/resident/persons/" + persons.get(i) + "/declarations", Api.obj("gridCode", grid, "fromRegion", "620100",
          "arrivedAt", arrived.toString(), "transport", "TRAIN")), 201);
    }
    Instant checkedIn = clock.instant();
    // person 0 declared already: not counted twice; person 2 twice in a day: once; person 3 lives here: no arrival
    for (int i : new int[] {0, 2, 2, 3}) {
      ok(resident.post("/api/v1/resident/persons/" + persons.get(i) + "/check-ins", Api.obj("venueToken", venueToken)), 200);
    }

    LocalDate day = LocalDate.ofInstant(arrived, CITY);
    JsonNode r = ok(staff("OFFICIAL", null, null).get("/api/v1/population-flow?from=" + day.minusDays(1) + "&to=" + day.plusDays(1)), 200)
        .json();
    List<String> rows = new ArrayList<>();
    for (JsonNode f : r.path("flows")) {
      if (f.path("districtCode").asString().equals(into)) {
        rows.add(f.path("day").asString() + " " + f.path("origin").asString() + " " + f.path("declared").asLong() + "+"
            + f.path("checkedIn").asLong() + "=" + f.path("total").asLong());
      }
    }
    LocalDate checkInDay = LocalDate.ofInstant(checkedIn, CITY);
    assertThat(rows).containsExactlyInAnyOrder(day + " 620100 2+0=2", checkInDay + " " + home + " 0+1=1");

    assertThat(admin().get("/api/v1/population-flow?from=2026-01-01&to=2026-03-01").code()).isEqualTo("INVALID_DATE");
    assertThat(admin().get("/api/v1/population-flow?from=x").str("field")).isEqualTo("from");
  }
}
