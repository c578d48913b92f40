package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Health codes through HTTP on the real database (H1–H4). */
class HealthCodeApiTest extends IntegrationTest {

  record Person(Api resident, String personId, String appointment) {}

  private Person person(String district) {
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String id = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "健康码", "districtCode", district)).str("personId");
    String appointment = ok(resident.get("/api/v1/resident/persons/" + id + "/appointment"), 200).str("appointmentCode");
    return new Person(resident, id, appointment);
  }

  @Test
  void aNewPersonIsGreenWithAShortLivedSignedToken() throws Exception {
    Corner c = corner();
    Person p = person(c.district());
    Api.Res code = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200);
    assertThat(code.str("color")).isEqualTo("GREEN");
    assertThat(code.json().path("reasons").get(0).path("code").asString()).isEqualTo("NO_RISK");
    assertThat(code.str("nameMasked")).isEqualTo("健*码");
    assertThat(jdbc.sql("select count(*) from health_codes where person_id = ?::uuid").param(p.personId()).query(Long.class).single())
        .as("no event concerns this person yet: green without computing or storing anything").isZero();
    String token = code.str("token");
    assertThat(Instant.parse(code.str("expiresAt"))).isBetween(clock.instant().plusSeconds(150), clock.instant().plusSeconds(181));
    String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(payload).contains("\"col\":\"GREEN\"").doesNotContain("健康码");

    Api.Res png = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code.png"), 200);
    var image = ImageIO.read(new ByteArrayInputStream(png.bytes()));
    String decoded = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
        Map.of(DecodeHintType.TRY_HARDER, true)).getText();
    assertThat(decoded).isEqualTo(token);

    Api checkpoint = staff("VENUE_MANAGER", null, null);
    Api.Res verified = ok(checkpoint.post("/api/v1/health-codes/verification", Map.of("token", token)), 200);
    assertThat(verified.json().path("valid").asBoolean()).isTrue();
    assertThat(verified.str("color")).isEqualTo("GREEN");
    assertThat(verified.str("nameMasked")).isEqualTo("健*码");
    assertThat(p.resident().post("/api/v1/health-codes/verification", Map.of("token", token)).status()).isEqualTo(403);

    // offline: only the published keys
    Map<String, Object> jwks = JsonMapper.builder().build().readValue(ok(api().get("/api/v1/health-codes/keys"), 200).text(), Map.class);
    assertThat(OfflineVerifier.verify(jwks, token, clock.instant())).isPresent();
    assertThat(OfflineVerifier.verify(jwks, token, clock.instant().plusSeconds(200))).isEmpty();

    // a stock implementation (the JDK's own Ed25519, not the library that signed) verifies it with the JWKS key
    assertThat(SignedJWT.parse(token).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
    assertThat(jdkVerifies(jwks, token)).isTrue();

    // forged, tampered, expired, wrong key: all invalid
    String[] parts = token.split("\\.");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.replace("GREEN", "RED").getBytes()) + "." + parts[2];
    ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID(new String(Base64.getUrlDecoder().decode(parts[0])).replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1")).generate();
    SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stranger.getKeyID()).build(), SignedJWT.parse(token).getJWTClaimsSet());
    forged.sign(new ECDSASigner(stranger));
    com.nimbusds.jose.jwk.OctetKeyPair edStranger = Ed25519Jws.generate();
    SignedJWT edForged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(stranger.getKeyID()).build(), SignedJWT.parse(token).getJWTClaimsSet());
    edForged.sign(new Ed25519Jws.Signer(edStranger));
    for (String bad : List.of(tampered, forged.serialize(), edForged.serialize(), token + "x", "garbage", "")) {
      Api.Res r = ok(checkpoint.post("/api/v1/health-codes/verification", Map.of("token", bad)), 200);
      assertThat(r.json().path("valid").asBoolean()).as(bad).isFalse();
      assertThat(OfflineVerifier.verify(jwks, bad, clock.instant())).isEmpty();
    }
    clock.advance(Duration.ofMinutes(4));
    assertThat(ok(checkpoint.post("/api/v1/health-codes/verification", Map.of("token", token)), 200).json().path("valid").asBoolean()).isFalse();
    assertThat(ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200).str("token"))
        .as("a screenshot goes stale; the page gets a fresh token").isNotEqualTo(token);
  }

  @Test
  void aRecallTurnsYellowAndAPositiveTurnsAGreenTokenRedOnline() {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    Api checkpoint = staff("OFFICIAL", null, null);
    Person p = person(c.district());

    // in a pool of five that turns out positive → recalled → yellow
    String pool = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", pool, "capacity", 5)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + pool + "/bindings", Map.of("appointmentCode", p.appointment())), 201);
    for (int i = 0; i < 4; i++) {
      ok(c.collector().scan("/api/v1/tubes/" + pool + "/bindings", Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "同管")), 201);
    }
    String greenToken = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200).str("token");
    assertThat(jdbc.sql("select count(*) from health_codes where person_id = ?::uuid").param(p.personId()).query(Long.class).single()).isZero();
    test(c, courier, tech, reviewer, pool, true);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200).str("color").equals("YELLOW"));
    Api.Res yellow = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200);
    assertThat(yellow.json().path("reasons").findValuesAsString("code")).containsExactly("RETEST_PENDING");
    assertThat(yellow.json().path("lastTest").path("status").asString()).isEqualTo("RECALLED");
    assertThat(yellow.json().path("lastTest").path("hoursSince").asLong()).isZero();

    // single-tube retest is positive → red, and the old green token shows red online
    String single = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", single, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + single + "/bindings", Map.of("appointmentCode", p.appointment(), "confirmRepeat", true)), 201);
    test(c, courier, tech, reviewer, single, true);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        ok(checkpoint.post("/api/v1/health-codes/verification", Map.of("token", greenToken)), 200).str("color").equals("RED"));
    Api.Res online = ok(checkpoint.post("/api/v1/health-codes/verification", Map.of("token", greenToken)), 200);
    assertThat(online.json().path("valid").asBoolean()).isTrue();
    assertThat(online.str("signedColor")).isEqualTo("GREEN");
    Api.Res red = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200);
    assertThat(red.json().path("reasons").findValuesAsString("code")).containsExactly("POSITIVE_RESULT");
  }

  @Test
  void officialsOverrideAndRuleChangesAreRecorded() {
    Corner c = corner();
    Person p = person(c.district());
    Api official = staff("OFFICIAL", null, null);
    Api.Res overridden = ok(official.post("/api/v1/health-codes/overrides",
        Api.obj("personId", p.personId(), "color", "YELLOW", "reason", "来自中风险地区 arrived from a risk area", "hours", 48)), 200);
    assertThat(overridden.str("color")).isEqualTo("YELLOW");
    Api.Res code = ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200);
    assertThat(code.json().path("reasons").get(0).path("text").asString()).contains("risk area");
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'HEALTH_CODE_OVERRIDDEN' and subject_id = ?")
        .param(p.personId()).query(Integer.class).single()).isEqualTo(1);
    assertThat(official.post("/api/v1/health-codes/overrides", Api.obj("personId", p.personId(), "color", "PINK", "reason", "x")).str("field"))
        .isEqualTo("color");
    clock.advance(Duration.ofHours(49));
    assertThat(ok(p.resident().get("/api/v1/resident/persons/" + p.personId() + "/health-code"), 200).str("color")).isEqualTo("GREEN");

    Api.Res changed = ok(admin().put("/api/v1/health-codes/rules/closeContactDays", Map.of("value", "10")), 200);
    assertThat(changed.json().path("settings").path("closeContactDays").asString()).isEqualTo("10");
    assertThat(changed.json().path("changes").get(0).path("oldValue").asString()).isEqualTo("14");
    assertThat(changed.json().path("changes").get(0).path("newValue").asString()).isEqualTo("10");
    assertThat(changed.json().path("changes").get(0).path("changedBy").asString()).isEqualTo("admin");
    assertThat(admin().put("/api/v1/health-codes/rules/closeContactDays", Map.of("value", "many")).str("field")).isEqualTo("closeContactDays");
    assertThat(admin().put("/api/v1/health-codes/rules/nope", Map.of("value", "1")).code()).isEqualTo("UNKNOWN_SETTING");
    // officials change rules too (H4 on the officials' workbench); every change is audited
    Api.Res byOfficial = ok(official.put("/api/v1/health-codes/rules/closeContactDays", Map.of("value", "3")), 200);
    assertThat(byOfficial.json().path("changes").get(0).path("oldValue").asString()).isEqualTo("10");
    assertThat(c.collector().put("/api/v1/health-codes/rules/closeContactDays", Map.of("value", "3")).status()).isEqualTo(403);
    assertThat(jdbc.sql("select detail from audit_log where action = 'HEALTH_RULE_CHANGED' and subject_id = 'closeContactDays' order by id desc limit 1")
        .query(String.class).single()).isEqualTo("10 → 3");
    ok(admin().put("/api/v1/health-codes/rules/closeContactDays", Map.of("value", "14")), 200);
  }

  /** Ships one tube to the lab and releases its result (positive or negative). */
  private void test(Corner c, Api courier, Api tech, Api reviewer, String tube, boolean positive) {
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, positive ? Set.of(tube) : Set.of(), false)), 200);
    if (positive) {
      ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    }
  }

  /** Verifies an EdDSA token with java.security alone: the OKP key of the JWKS as X.509, Signature "Ed25519". */
  @SuppressWarnings("unchecked")
  private static boolean jdkVerifies(Map<String, Object> jwks, String token) throws Exception {
    String[] parts = token.split("\\.");
    String kid = SignedJWT.parse(token).getHeader().getKeyID();
    Map<String, Object> key = ((List<Map<String, Object>>) jwks.get("keys")).stream().filter(k -> kid.equals(k.get("kid"))).findFirst().orElseThrow();
    assertThat(key).containsEntry("kty", "OKP").containsEntry("crv", "Ed25519").doesNotContainKey("d");
    byte[] x = Base64.getUrlDecoder().decode((String) key.get("x"));
    byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100");
    byte[] der = java.util.Arrays.copyOf(spki, spki.length + x.length);
    System.arraycopy(x, 0, der, spki.length, x.length);
    java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
    sig.initVerify(java.security.KeyFactory.getInstance("Ed25519").generatePublic(new java.security.spec.X509EncodedKeySpec(der)));
    sig.update((parts[0] + "." + parts[1]).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    return sig.verify(Base64.getUrlDecoder().decode(parts[2]));
  }
}
