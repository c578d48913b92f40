package org.epiloop.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.epiloop.shared.Masks;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Result certificates end to end: a released negative, the resident's PDF (text, embedded font,
 * the QR code read off the rendered page), the token checked with the JDK's own Ed25519 against
 * the published key, VALID online, INVALID when forged, REVOKED once a later result supersedes it.
 */
class CertificateApiTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** A person on a resident's account, sampled singly and released at a lab. */
  record Sampled(Corner corner, Api resident, String personId, String idNumber, String name, Api courier, Api tech) {}

  private Sampled negativeForAResident(String name) {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String idNumber = Ids.next();
    String personId = Residents.addNewPerson(resident, admin(), idNumber, name, c.district());
    String tube = sampleSingly(c, idNumber, name);
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    assertThat(ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200).str("status"))
        .isEqualTo("RELEASED");
    return new Sampled(c, resident, personId, idNumber, name, courier, tech);
  }

  private String sampleSingly(Corner c, String idNumber, String name) {
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", idNumber, "name", name)), 201);
    return tube;
  }

  private JsonNode awaitResult(Api resident, String personId, String status) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> {
      JsonNode lines = ok(resident.get("/api/v1/resident/persons/" + personId + "/results"), 200).json();
      return lines.valueStream().filter(l -> l.path("status").asString().equals(status)).findFirst().orElse(null);
    }, l -> l != null);
  }

  @Test
  void aCertificateShowsTheResultWithASignedQrThatVerifiesUntilALaterResultSupersedesIt() throws Exception {
    Sampled s = negativeForAResidentShipped("欧阳明月");
    JsonNode line = awaitResult(s.resident(), s.personId(), "NEGATIVE");
    String resultId = line.path("resultId").asString();
    assertThat(line.path("source").isNull() || line.path("source").isMissingNode()).as("a local result has no outside source").isTrue();

    Api.Res pdf = ok(s.resident().get("/api/v1/certificates/" + resultId), 200);
    assertThat(pdf.contentType()).startsWith("application/pdf");
    String token;
    try (PDDocument doc = Loader.loadPDF(pdf.bytes())) {
      String text = new PDFTextStripper().getText(doc);
      assertThat(text).contains("新冠病毒核酸检测结果证明", "欧阳明月", Masks.idNumber(s.idNumber()), "阴性", "Negative",
          s.corner().site(), s.corner().lab(), resultId);
      assertThat(text).doesNotContain(s.idNumber());
      // the font travels with the file, as a subset ("ABCDEF+NotoSansSC…")
      PDFont font = doc.getPage(0).getResources().getFont(doc.getPage(0).getResources().getFontNames().iterator().next());
      assertThat(font.isEmbedded()).isTrue();
      assertThat(font.getName()).matches("[A-Z]{6}\\+NotoSansSC.*");
      assertThat(pdf.bytes().length).as("a subset, not the 10 MB font").isLessThan(400_000);
    }
    token = tokenOf(pdf.bytes());

    // the token, checked with the JDK's own Ed25519 and the published key alone
    String[] parts = token.split("\\.");
    assertThat(parts).hasSize(3);
    JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
    assertThat(header.path("alg").asString()).isEqualTo("EdDSA");
    assertThat(header.path("kid").asString()).startsWith("cert-");
    JsonNode keys = ok(api().anonymous().get("/api/v1/certificates/keys"), 200).json().path("keys");
    JsonNode jwk = keys.valueStream().filter(k -> k.path("kid").asString().equals(header.path("kid").asString())).findFirst().orElseThrow();
    assertThat(jwk.has("d")).as("no private half published").isFalse();
    assertThat(jdkVerifies(jwk.path("x").asString(), parts)).isTrue();
    assertThat(claims.path("pur").asString()).isEqualTo("RESULT_CERTIFICATE");
    assertThat(claims.path("sub").asString()).isEqualTo(resultId);
    assertThat(claims.path("res").asString()).isEqualTo("NEGATIVE");
    assertThat(claims.path("nm").asString()).isEqualTo(Masks.name("欧阳明月"));
    assertThat(token).doesNotContain(s.idNumber());
    // the health-code keys do not verify it: its own key
    JsonNode codeKeys = ok(api().anonymous().get("/api/v1/health-codes/keys"), 200).json().path("keys");
    assertThat(codeKeys.valueStream().map(k -> k.path("kid").asString())).doesNotContain(header.path("kid").asString());

    Api anyone = api().anonymous();
    JsonNode valid = ok(anyone.post("/api/v1/certificates/verify", Map.of("token", token)), 200).json();
    assertThat(valid.path("state").asString()).isEqualTo("VALID");
    assertThat(valid.path("result").asString()).isEqualTo("NEGATIVE");
    assertThat(valid.path("nameMasked").asString()).isEqualTo(Masks.name("欧阳明月"));

    // forged: the claims say POSITIVE, the signature is the negative's
    String forgedClaims = Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8).replace("NEGATIVE", "POSITIVE")
            .getBytes(StandardCharsets.UTF_8));
    assertThat(ok(anyone.post("/api/v1/certificates/verify", Map.of("token", parts[0] + "." + forgedClaims + "." + parts[2])), 200)
        .json().path("state").asString()).isEqualTo("INVALID");

    // a later single-tube sampling of the person comes back positive: the negative's certificate is revoked
    clock.advance(Duration.ofHours(13)); // past the sampling round (12 h)
    String tube = sampleSingly(s.corner(), s.idNumber(), s.name());
    Api reviewer = staff("LAB_REVIEWER", null, s.corner().lab());
    String run = Flows.positiveUpToRelease(s.corner().collector(), s.courier(), s.tech(), s.corner().lab(), tube, unique("B"), unique("P"));
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    awaitResult(s.resident(), s.personId(), "POSITIVE");
    JsonNode revoked = ok(anyone.post("/api/v1/certificates/verify", Map.of("token", token)), 200).json();
    assertThat(revoked.path("state").asString()).isEqualTo("REVOKED");
    assertThat(revoked.path("revokedBecause").asString()).isEqualTo("SUPERSEDED");
    assertThat(revoked.path("currentResult").asString()).isEqualTo("NEGATIVE");
    // and no new certificate of the superseded result is issued
    assertThat(s.resident().get("/api/v1/certificates/" + resultId).code()).isEqualTo("NOT_CERTIFIABLE");
  }

  @Test
  void anOfficialNeedsAReasonAndIsAuditedWhileOtherAccountsAndRolesAreRefused() {
    Sampled s = negativeForAResidentShipped("李四");
    String resultId = awaitResult(s.resident(), s.personId(), "NEGATIVE").path("resultId").asString();
    Api official = staff("OFFICIAL", null, null);
    Api.Res noReason = official.get("/api/v1/certificates/" + resultId);
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.code()).isEqualTo("FIELD_REQUIRED");
    Api.Res withReason = ok(official.get("/api/v1/certificates/" + resultId + "?reason=" + java.net.URLEncoder.encode("出境核验 border check", StandardCharsets.UTF_8)), 200);
    assertThat(withReason.contentType()).startsWith("application/pdf");
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'CERTIFICATE_ISSUED' and subject_id = ? and detail like ?")
        .params(s.personId(), "%border check%").query(Integer.class).single()).isEqualTo(1);

    Api stranger = Residents.login(api(), admin(), Ids.phone());
    assertThat(stranger.get("/api/v1/certificates/" + resultId).code()).isEqualTo("OUT_OF_SCOPE");
    assertThat(s.courier().get("/api/v1/certificates/" + resultId).status()).isEqualTo(403);
    assertThat(s.resident().get("/api/v1/certificates/" + java.util.UUID.randomUUID()).code()).isEqualTo("RESULT_NOT_FOUND");
    assertThat(api().anonymous().post("/api/v1/certificates/verify", Map.of("token", "not.a.token")).json().path("state").asString())
        .isEqualTo("INVALID");
  }

  /**
   * Two reviewers of the lab correct the released negative (issue 16 item 4): the certificate made
   * before the correction verifies as REVOKED, AMENDED — online, from the result as it stands now.
   */
  @Test
  void aCertificateOfAResultLaterAmendedVerifiesAsRevoked() throws Exception {
    Sampled s = negativeForAResident("司马青云");
    String resultId = awaitResult(s.resident(), s.personId(), "NEGATIVE").path("resultId").asString();
    String token = tokenOf(ok(s.resident().get("/api/v1/certificates/" + resultId), 200).bytes());
    Api anyone = api().anonymous();
    assertThat(ok(anyone.post("/api/v1/certificates/verify", Map.of("token", token)), 200).json().path("state").asString())
        .isEqualTo("VALID");

    Api proposer = staff("LAB_REVIEWER", null, s.corner().lab());
    Api approver = staff("LAB_REVIEWER", null, s.corner().lab());
    String amendment = ok(proposer.post("/api/v1/amendments", Api.obj("bindingId", resultId, "status", "POSITIVE",
        "reason", "Wells swapped on the plate map")), 201).str("id");
    // proposed only: nothing has changed yet, the certificate still holds
    assertThat(ok(anyone.post("/api/v1/certificates/verify", Map.of("token", token)), 200).json().path("state").asString())
        .isEqualTo("VALID");
    ok(approver.post("/api/v1/amendments/" + amendment + "/approve", Map.of()), 200);

    JsonNode revoked = ok(anyone.post("/api/v1/certificates/verify", Map.of("token", token)), 200).json();
    assertThat(revoked.path("state").asString()).isEqualTo("REVOKED");
    assertThat(revoked.path("revokedBecause").asString()).isEqualTo("AMENDED");
    // the QR still carries a genuine signature: only the online check knows of the correction
    JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    assertThat(claims.path("res").asString()).isEqualTo("NEGATIVE");
  }

  private Sampled negativeForAResidentShipped(String name) {
    return negativeForAResident(name);
  }

  /** The QR code's text, read by ZXing off the certificate's first page rendered at 200 dpi. */
  static String tokenOf(byte[] pdf) throws Exception {
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 200);
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(page))),
          Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
    }
  }

  /** Ed25519 with the JDK's provider: the raw key wrapped in its X.509 prefix. */
  static boolean jdkVerifies(String x, String[] parts) throws Exception {
    byte[] raw = Base64.getUrlDecoder().decode(x);
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
    PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
    Signature sig = Signature.getInstance("Ed25519");
    sig.initVerify(key);
    sig.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
    return sig.verify(Base64.getUrlDecoder().decode(parts[2]));
  }
}
