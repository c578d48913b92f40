package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A venue registers and prints its venue code (V1); its token resolves only when genuine. */
class VenueApiTest extends IntegrationTest {

  /** Contact finding does not read what the entrance saw; these check-ins are plain green admissions. */
  private static final CheckIns.Entrance ADMITTED = new CheckIns.Entrance("GREEN", true);

  @Autowired Venues venues;
  @Autowired CheckIns checkIns;

  private String district() {
    String code = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", code, "name", "区 " + code)), 201);
    return code;
  }

  @Test
  void aManagerRegistersAVenueAndPrintsItsQr() throws Exception {
    String district = district();
    Api manager = staff("VENUE_MANAGER", null, null);
    Api.Res created = ok(manager.post("/api/v1/venues", Api.obj("name", "  兰州牛肉面  中山路店 ", "districtCode", district,
        "kind", "restaurant", "latitude", 36.06, "longitude", 103.83, "negativeTestWithinHours", 72)), 201);
    String code = created.str("venueCode");
    String token = created.str("venueToken");
    assertThat(code).matches("V[A-Z2-7]{8}");
    assertThat(token).startsWith("VN").hasSize(33);
    assertThat(created.str("name")).isEqualTo("兰州牛肉面 中山路店");
    assertThat(created.str("kind")).isEqualTo("RESTAURANT");
    assertThat(created.json().path("negativeTestWithinHours").asInt()).isEqualTo(72);

    Api.Res png = ok(manager.get("/api/v1/venues/" + code + "/qr.png"), 200);
    assertThat(png.contentType()).isEqualTo("image/png");
    var image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    String decoded = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
    assertThat(decoded).isEqualTo(token);

    Venues.Venue venue = venues.byToken(decoded).orElseThrow();
    assertThat(venue).isEqualTo(new Venues.Venue(code, "兰州牛肉面 中山路店", district, "RESTAURANT", 36.06, 103.83, 72));
    assertThat(venues.byCode(code)).contains(venue);

    Api.Res viewed = ok(manager.get("/api/v1/venues/" + code), 200);
    assertThat(viewed.str("venueToken")).isEqualTo(token);
    assertThat(ok(manager.get("/api/v1/venues"), 200).json().findValuesAsString("venueCode")).containsExactly(code);
    Api official = staff("OFFICIAL", null, null);
    assertThat(ok(official.get("/api/v1/venues/" + code), 200).str("venueToken")).isEqualTo(token);
    assertThat(ok(official.get("/api/v1/venues?districtCode=" + district), 200).json().findValuesAsString("venueCode")).containsExactly(code);
    ok(admin().get("/api/v1/venues/" + code + "/qr.png"), 200);

    // a venue without an entry rule
    Api.Res open = ok(manager.post("/api/v1/venues", Api.obj("name", "菜市场", "districtCode", district, "kind", "MARKET",
        "latitude", 36.0, "longitude", 103.8)), 201);
    assertThat(venues.byCode(open.str("venueCode")).orElseThrow().negativeTestWithinHours()).isNull();
    assertThat(open.str("venueCode")).isNotEqualTo(code);
  }

  @Test
  void aManagerSeesTodaysCheckInsByTheColourShownAtTheEntrance() {
    String district = district();
    Api manager = staff("VENUE_MANAGER", null, null);
    Api.Res venue = ok(manager.post("/api/v1/venues", Api.obj("name", "超市", "districtCode", district, "kind", "SHOP",
        "latitude", 36.0, "longitude", 103.8)), 201);
    String code = venue.str("venueCode");
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String green = Residents.addNewPerson(resident, admin(), Ids.next(), "绿码甲", district);
    String red = Residents.addNewPerson(resident, admin(), Ids.next(), "红码乙", district);
    ok(staff("OFFICIAL", null, null).post("/api/v1/health-codes/overrides",
        Api.obj("personId", red, "color", "RED", "reason", "确诊病例 confirmed case", "hours", 48)), 200);

    // yesterday's check-in is not today's
    clock.advance(Duration.ofDays(-1));
    ok(resident.post("/api/v1/resident/persons/" + green + "/check-ins", Api.obj("venueToken", venue.str("venueToken"))), 200);
    clock.reset();
    ok(resident.post("/api/v1/resident/persons/" + green + "/check-ins", Api.obj("venueToken", venue.str("venueToken"))), 200);
    ok(resident.post("/api/v1/resident/persons/" + green + "/check-ins", Api.obj("venueToken", venue.str("venueToken"))), 200);
    Api.Res denied = ok(resident.post("/api/v1/resident/persons/" + red + "/check-ins", Api.obj("venueToken", venue.str("venueToken"))), 200);
    assertThat(denied.json().path("admitted").asBoolean()).isFalse();

    Api.Res today = ok(manager.get("/api/v1/venues/" + code + "/check-ins/today"), 200);
    assertThat(today.str("name")).isEqualTo("超市");
    assertThat(today.json().path("total").asInt()).isEqualTo(3);
    assertThat(today.json().path("admitted").asInt()).isEqualTo(2);
    assertThat(today.json().path("denied").asInt()).isEqualTo(1);
    assertThat(today.json().path("colors").path("GREEN").asInt()).isEqualTo(2);
    assertThat(today.json().path("colors").path("RED").asInt()).isEqualTo(1);
    assertThat(today.json().path("colors").path("YELLOW").asInt()).isZero();
    int hour = clock.instant().atZone(java.time.ZoneId.of("Asia/Shanghai")).getHour();
    assertThat(today.json().path("perHour").get(hour).asInt()).isEqualTo(3);
    assertThat(today.json().path("perHour").size()).isEqualTo(24);

    assertThat(staff("VENUE_MANAGER", null, null).get("/api/v1/venues/" + code + "/check-ins/today").code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(manager.get("/api/v1/venues/VNOPE0000/check-ins/today").code()).isEqualTo("VENUE_NOT_FOUND");
    ok(staff("OFFICIAL", null, null).get("/api/v1/venues/" + code + "/check-ins/today"), 200);
  }

  @Test
  void anotherManagerSeesNeitherTheVenueNorItsQr() {
    String district = district();
    Api owner = staff("VENUE_MANAGER", null, null);
    Api other = staff("VENUE_MANAGER", null, null);
    String code = ok(owner.post("/api/v1/venues", Api.obj("name", "写字楼", "districtCode", district, "kind", "OFFICE",
        "latitude", 36.0, "longitude", 103.8)), 201).str("venueCode");
    Api.Res peek = other.get("/api/v1/venues/" + code);
    assertThat(peek.status()).isEqualTo(403);
    assertThat(peek.code()).isEqualTo("OUT_OF_SCOPE");
    Api.Res print = other.get("/api/v1/venues/" + code + "/qr.png");
    assertThat(print.status()).isEqualTo(403);
    assertThat(print.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(ok(other.get("/api/v1/venues"), 200).json().size()).isZero();
    assertThat(staff("OFFICIAL", null, null).get("/api/v1/venues/" + code + "/qr.png").status()).isEqualTo(403);

    Api resident = Residents.login(api(), admin(), Ids.phone());
    assertThat(resident.get("/api/v1/venues/" + code).status()).isEqualTo(403);
    Api collector = staff("COURIER", null, null);
    assertThat(collector.post("/api/v1/venues", Api.obj("name", "x", "districtCode", district, "kind", "OFFICE",
        "latitude", 1.0, "longitude", 1.0)).status()).isEqualTo(403);
    assertThat(api().get("/api/v1/venues/" + code).status()).isEqualTo(401);

    Api.Res missing = owner.get("/api/v1/venues/VAAAAAAAA");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.code()).isEqualTo("VENUE_NOT_FOUND");
    assertThat(owner.get("/api/v1/venues/VAAAAAAAA/qr.png").code()).isEqualTo("VENUE_NOT_FOUND");
  }

  @Test
  void badInputIsRefusedNamingTheField() {
    String district = district();
    Api manager = staff("VENUE_MANAGER", null, null);
    Map<String, Object> good = Api.obj("name", "学校", "districtCode", district, "kind", "SCHOOL", "latitude", 36.0, "longitude", 103.8);
    expect(manager.post("/api/v1/venues", with(good, "name", null)), "FIELD_REQUIRED", "name");
    expect(manager.post("/api/v1/venues", with(good, "name", "  ")), "FIELD_REQUIRED", "name");
    expect(manager.post("/api/v1/venues", with(good, "name", "x".repeat(101))), "INVALID_VENUE_NAME", "name");
    expect(manager.post("/api/v1/venues", with(good, "districtCode", null)), "FIELD_REQUIRED", "districtCode");
    expect(manager.post("/api/v1/venues", with(good, "districtCode", "NOPE-" + UUID.randomUUID())), "UNKNOWN_DISTRICT", "districtCode");
    expect(manager.post("/api/v1/venues", with(good, "kind", null)), "FIELD_REQUIRED", "kind");
    expect(manager.post("/api/v1/venues", with(good, "kind", "CASINO")), "INVALID_VENUE_KIND", "kind");
    expect(manager.post("/api/v1/venues", with(good, "latitude", null)), "FIELD_REQUIRED", "latitude");
    expect(manager.post("/api/v1/venues", with(good, "latitude", 90.5)), "INVALID_COORDINATES", "latitude");
    expect(manager.post("/api/v1/venues", with(good, "longitude", -181.0)), "INVALID_COORDINATES", "longitude");
    expect(manager.post("/api/v1/venues", with(good, "latitude", "north")), "MALFORMED_REQUEST", "latitude");
    expect(manager.post("/api/v1/venues", with(good, "negativeTestWithinHours", 0)), "INVALID_TEST_WINDOW", "negativeTestWithinHours");
    expect(manager.post("/api/v1/venues", with(good, "negativeTestWithinHours", 721)), "INVALID_TEST_WINDOW", "negativeTestWithinHours");
    Api.Res notJson = manager.post("/api/v1/venues", "{\"name\":");
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.code()).isEqualTo("MALFORMED_REQUEST");
    expect(manager.get("/api/v1/venues?limit=0"), "INVALID_PARAMETER", "limit");
    assertThat(jdbc.sql("select count(*) from venues where district_code = ?").param(district).query(Integer.class).single()).isZero();
  }

  @Test
  void forgedOrUnknownTokensResolveToNothing() {
    String district = district();
    Api manager = staff("VENUE_MANAGER", null, null);
    Api.Res created = ok(manager.post("/api/v1/venues", Api.obj("name", "医院", "districtCode", district, "kind", "HOSPITAL",
        "latitude", 36.0, "longitude", 103.8)), 201);
    String token = created.str("venueToken");
    assertThat(venues.byToken(token)).isPresent();
    for (int i = 2; i < token.length(); i++) {
      char c = token.charAt(i);
      String forged = token.substring(0, i) + (c == 'A' ? 'B' : 'A') + token.substring(i + 1);
      assertThat(venues.byToken(forged)).as(forged).isEmpty();
    }
    assertThat(venues.byToken(null)).isEmpty();
    assertThat(venues.byToken("")).isEmpty();
    assertThat(venues.byToken(created.str("venueCode"))).as("the bare code is not a token").isEmpty();
    assertThat(venues.byToken(token.substring(0, 20))).isEmpty();
    assertThat(venues.byToken(token + "A")).isEmpty();
    assertThat(venues.byToken("https://example.org/?t=" + token)).isEmpty();
    assertThat(venues.byCode("VAAAAAAAA")).isEmpty();
    assertThat(venues.byCode("'; drop table venues; --")).isEmpty();
    assertThat(venues.byCode(null)).isEmpty();
  }

  @Test
  void aCheckInIsOneRowWithTheVenueName() {
    String district = district();
    Api manager = staff("VENUE_MANAGER", null, null);
    Venues.Venue venue = venues.byToken(ok(manager.post("/api/v1/venues", Api.obj("name", "地铁站 A 口", "districtCode", district,
        "kind", "TRANSIT", "latitude", 36.0, "longitude", 103.8)), 201).str("venueToken")).orElseThrow();
    Api resident = Residents.login(api(), admin(), Ids.phone());
    UUID person = UUID.fromString(Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "乘客", "districtCode", district)).str("personId"));
    Instant at = Instant.parse("2022-04-01T01:02:03.123456789Z");
    CheckIns.CheckIn in = checkIns.record(person, venue, at, ADMITTED);
    assertThat(in.venueCode()).isEqualTo(venue.venueCode());
    assertThat(in.venueName()).isEqualTo("地铁站 A 口");
    assertThat(in.at()).isEqualTo(Instant.parse("2022-04-01T01:02:03.123456Z"));
    assertThat(jdbc.sql("select count(*) from check_ins where person_id = ? and venue_code = ? and at = ?")
        .params(person, venue.venueCode(), in.at().atOffset(java.time.ZoneOffset.UTC)).query(Integer.class).single()).isEqualTo(1);
  }

  private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
    Map<String, Object> m = new java.util.LinkedHashMap<>(base);
    if (value == null) {
      m.remove(key);
    } else {
      m.put(key, value);
    }
    return m;
  }

  private static void expect(Api.Res r, String code, String field) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).as(r.toString()).isEqualTo(code);
    assertThat(r.str("field")).as(r.toString()).isEqualTo(field);
  }
}
