package org.epiloop.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;

/** Residents log in with a phone code, add family members and get appointment codes (R1, R2, X1). */
class ResidentRegistrationApiTest extends IntegrationTest {

  @Test
  void oneTimeCodesExpireAreSingleUseAndRateLimited() {
    String phone = Ids.phone();
    ok(api().post("/api/v1/resident/otp", Api.obj("phone", "+86 " + phone)), 202);
    Api.Res tooSoon = api().post("/api/v1/resident/otp", Api.obj("phone", phone));
    assertThat(tooSoon.status()).isEqualTo(429);
    assertThat(tooSoon.code()).isEqualTo("OTP_RATE_LIMITED");

    String code = Residents.lastCode(admin(), phone);
    String wrong = code.equals("000000") ? "111111" : "000000";
    Api.Res bad = api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", wrong));
    assertThat(bad.status()).isEqualTo(401);
    assertThat(bad.code()).isEqualTo("INVALID_CODE");
    ok(api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", code)), 200);
    Api.Res reused = api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", code));
    assertThat(reused.status()).isEqualTo(401);

    clock.advance(Duration.ofMinutes(2));
    ok(api().post("/api/v1/resident/otp", Api.obj("phone", phone)), 202);
    String second = Residents.lastCode(admin(), phone);
    clock.advance(Duration.ofMinutes(6));
    assertThat(api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", second)).status()).isEqualTo(401);

    // five codes an hour at most
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(2));
      ok(api().post("/api/v1/resident/otp", Api.obj("phone", phone)), 202);
    }
    clock.advance(Duration.ofMinutes(2));
    assertThat(api().post("/api/v1/resident/otp", Api.obj("phone", phone)).code()).isEqualTo("OTP_RATE_LIMITED");
  }

  @Test
  void guessingIsCappedAtFiveTries() {
    String phone = Ids.phone();
    ok(api().post("/api/v1/resident/otp", Api.obj("phone", phone)), 202);
    String code = Residents.lastCode(admin(), phone);
    for (int i = 0; i < 5; i++) {
      String wrong = String.format("%06d", (Integer.parseInt(code) + 1 + i) % 1_000_000);
      assertThat(api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", wrong)).status()).isEqualTo(401);
    }
    assertThat(api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", code)).status()).isEqualTo(401);
  }

  @Test
  void badPhonesAreNamed() {
    Api.Res r = api().post("/api/v1/resident/otp", Api.obj("phone", "12345"));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("INVALID_PHONE");
    assertThat(r.str("field")).isEqualTo("phone");
  }

  @Test
  void anAccountHoldsItsHolderAndFamilyAndOnlyThem() {
    Corner c = corner();
    Api mother = Residents.login(api(), admin(), Ids.phone());
    Api.Res self = Residents.addPerson(mother, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "林美华", "districtCode", c.district(), "relation", "SELF"));
    assertThat(self.str("nameMasked")).isEqualTo("林*华");
    assertThat(self.str("idMasked")).matches("3201\\*{10}[0-9X]{4}");
    assertThat(self.str("relation")).isEqualTo("SELF");
    String childId = Ids.next().toLowerCase();
    Api.Res child = Residents.addPerson(mother, admin(),
        Api.obj("idType", "CN_ID", "idNumber", childId, "name", "林小宝", "districtCode", c.district()));
    assertThat(child.str("relation")).isEqualTo("FAMILY");
    Api.Res list = ok(mother.get("/api/v1/resident/persons"), 200);
    assertThat(list.json().findValuesAsString("personId")).containsExactly(self.str("personId"), child.str("personId"));
    assertThat(list.text()).doesNotContain(childId.toUpperCase()).doesNotContain("林小宝");

    Api stranger = Residents.login(api(), admin(), Ids.phone());
    Api.Res peek = stranger.get("/api/v1/resident/persons/" + child.str("personId") + "/appointment");
    assertThat(peek.status()).isEqualTo(403);
    assertThat(peek.code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(stranger.get("/api/v1/resident/persons").json().size()).isZero();

    Api.Res badDistrict = mother.post("/api/v1/resident/persons",
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "林一", "districtCode", "NOPE"));
    assertThat(badDistrict.code()).isEqualTo("UNKNOWN_DISTRICT");
    assertThat(badDistrict.str("field")).isEqualTo("districtCode");
    Api.Res badId = mother.post("/api/v1/resident/persons",
        Api.obj("idType", "CN_ID", "idNumber", "320102199001011234", "name", "林一", "districtCode", c.district()));
    assertThat(badId.code()).isEqualTo("INVALID_ID_NUMBER");
  }

  @Test
  void anAppointmentCodeRegistersThePersonInOneScan() throws Exception {
    Corner c = corner();
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String personId = Residents.addNewPerson(resident, admin(), Ids.next(), "黄大年", c.district());
    Api.Res appointment = ok(resident.get("/api/v1/resident/persons/" + personId + "/appointment"), 200);
    String code = appointment.str("appointmentCode");
    assertThat(code).startsWith("AP").hasSize(50);
    assertThat(appointment.str("expiresAt")).isNotBlank();

    Api.Res png = ok(resident.get("/api/v1/resident/persons/" + personId + "/appointment.png"), 200);
    assertThat(png.contentType()).isEqualTo("image/png");
    var image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    String decoded = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
    assertThat(decoded).startsWith("AP").hasSize(50);

    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    Api.Res bound = ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Map.of("appointmentCode", decoded)), 201);
    assertThat(bound.json().path("person").path("nameMasked").asString()).isEqualTo("黄*年");
    assertThat(bound.str("tubeStatus")).isEqualTo("SEALED");

    // a forged code (one character changed) and an expired one are unknown
    String forged = code.substring(0, 10) + (code.charAt(10) == 'A' ? 'B' : 'A') + code.substring(11);
    String tube2 = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube2, "capacity", 5)), 201);
    assertThat(c.collector().scan("/api/v1/tubes/" + tube2 + "/bindings", Map.of("appointmentCode", forged)).code())
        .isEqualTo("APPOINTMENT_NOT_FOUND");
    clock.advance(Duration.ofDays(8));
    assertThat(c.collector().scan("/api/v1/tubes/" + tube2 + "/bindings", Map.of("appointmentCode", code)).code())
        .isEqualTo("APPOINTMENT_NOT_FOUND");
  }

  @Test
  void personalDataIsEncryptedAtRest() {
    Corner c = corner();
    String id = Ids.next();
    String phone = Ids.phone();
    Api resident = Residents.login(api(), admin(), phone);
    Residents.addNewPerson(resident, admin(), id, "唯一名字", c.district());
    String dump = jdbc.sql("select string_agg(t::text, '|') from persons t").query(String.class).single()
        + jdbc.sql("select string_agg(t::text, '|') from person_links t").query(String.class).single()
        + jdbc.sql("select string_agg(t::text, '|') from resident_accounts t").query(String.class).single()
        + jdbc.sql("select coalesce(string_agg(t::text, '|'), '') from audit_log t").query(String.class).single();
    assertThat(dump).doesNotContain(id).doesNotContain(phone).doesNotContain("唯一名字");
    // and not hex-encoded either
    assertThat(dump).doesNotContain(java.util.HexFormat.of().formatHex(id.getBytes()));
  }
}
