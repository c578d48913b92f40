package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;

/**
 * V2–V4 with H1: check-ins at two venues, a confirmed case, and the colours that follow —
 * the case red, a close contact red for 14 days, a secondary contact yellow for 7 days, a
 * bystander outside the window green — plus the venues' admission decisions.
 */
class ContactCodesApiTest extends IntegrationTest {

  @Test
  void aConfirmedCaseChangesItsContactsCodes() {
    Corner c = corner();
    Api manager = staff("VENUE_MANAGER", null, null);
    Api official = staff("OFFICIAL", null, null);
    String market = ok(manager.post("/api/v1/venues", Api.obj("name", "东关菜市场", "districtCode", c.district(), "kind", "MARKET",
        "latitude", 33.96, "longitude", 118.27)), 201).str("venueToken");
    String clinic = ok(manager.post("/api/v1/venues", Api.obj("name", "社区诊所", "districtCode", c.district(), "kind", "CLINIC",
        "latitude", 33.97, "longitude", 118.28, "negativeTestWithinHours", 48)), 201).str("venueToken");

    Api family = Residents.login(api(), admin(), Ids.phone());
    String caseId = Ids.next();
    String patient = person(family, c, caseId, "病例甲");
    String close = person(family, c, Ids.next(), "密接乙");
    String secondary = person(family, c, Ids.next(), "次密丙");
    String bystander = person(family, c, Ids.next(), "路人丁");

    Api.Res in = ok(family.post("/api/v1/resident/persons/" + patient + "/check-ins", Map.of("venueToken", market)), 200);
    assertThat(in.str("venueName")).isEqualTo("东关菜市场");
    assertThat(in.str("color")).isEqualTo("GREEN");
    assertThat(in.json().path("admitted").asBoolean()).isTrue();
    clock.advance(Duration.ofMinutes(30));
    ok(family.post("/api/v1/resident/persons/" + close + "/check-ins", Map.of("venueToken", market)), 200);
    clock.advance(Duration.ofMinutes(90));
    Api.Res clinicVisit = ok(family.post("/api/v1/resident/persons/" + close + "/check-ins", Map.of("venueToken", clinic)), 200);
    assertThat(clinicVisit.json().path("admitted").asBoolean()).as("no negative test within 48 h").isFalse();
    assertThat(clinicVisit.str("reason")).contains("48");
    clock.advance(Duration.ofMinutes(20));
    ok(family.post("/api/v1/resident/persons/" + secondary + "/check-ins", Map.of("venueToken", clinic)), 200);
    clock.advance(Duration.ofMinutes(70));
    ok(family.post("/api/v1/resident/persons/" + bystander + "/check-ins", Map.of("venueToken", market)), 200);
    assertThat(family.post("/api/v1/resident/persons/" + bystander + "/check-ins", Map.of("venueToken", "VN" + "A".repeat(31))).code())
        .isEqualTo("INVALID_VENUE_TOKEN");

    clock.advance(Duration.ofMinutes(30));
    String confirmedAt = clock.instant().toString();
    Api.Res confirmed = ok(official.post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", caseId, "confirmedAt", confirmedAt)), 201);
    String caseRef = confirmed.str("caseId");
    Api.Res contacts = ok(official.get("/api/v1/cases/" + caseRef + "/contacts"), 200);
    assertThat(contacts.json().findValuesAsString("level")).containsExactlyInAnyOrder("CLOSE", "SECONDARY");

    await().atMost(Duration.ofSeconds(20)).until(() -> color(family, close).equals("RED") && color(family, secondary).equals("YELLOW")
        && color(family, patient).equals("RED"));
    assertThat(color(family, bystander)).isEqualTo("GREEN");
    assertThat(reasons(family, patient)).contains("CONFIRMED_CASE");
    assertThat(reasons(family, close)).contains("CLOSE_CONTACT");
    assertThat(reasons(family, secondary)).contains("SECONDARY_CONTACT");
    Api.Res exposures = ok(family.get("/api/v1/resident/persons/" + close + "/exposures"), 200);
    assertThat(exposures.json().get(0).path("level").asString()).isEqualTo("CLOSE");
    assertThat(exposures.json().get(0).path("venueName").asString()).isEqualTo("东关菜市场");

    Api.Res refused = ok(family.post("/api/v1/resident/persons/" + close + "/check-ins", Map.of("venueToken", market)), 200);
    assertThat(refused.str("color")).isEqualTo("RED");
    assertThat(refused.json().path("admitted").asBoolean()).isFalse();

    clock.advance(Duration.ofDays(8));
    assertThat(color(family, secondary)).as("secondary contact window (7 days) is over").isEqualTo("GREEN");
    assertThat(color(family, close)).as("close contact window (14 days) is not").isEqualTo("RED");
    clock.advance(Duration.ofDays(7));
    assertThat(color(family, close)).isEqualTo("GREEN");
  }

  private String person(Api family, Corner c, String id, String name) {
    return Residents.addPerson(family, admin(), Api.obj("idType", "CN_ID", "idNumber", id, "name", name, "districtCode", c.district()))
        .str("personId");
  }

  private static String color(Api family, String person) {
    return family.get("/api/v1/resident/persons/" + person + "/health-code").str("color");
  }

  private static java.util.List<String> reasons(Api family, String person) {
    return family.get("/api/v1/resident/persons/" + person + "/health-code").json().path("reasons").findValuesAsString("code");
  }
}
