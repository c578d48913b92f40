package org.epiloop.certificates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import tools.jackson.databind.JsonNode;

/**
 * The public certificate check on a phone: a genuine certificate's QR text (read off its PDF)
 * reads VALID with the masked name and result; a forged one INVALID; with the network cut, the
 * kept key still tells a genuine signature, marked offline and "cannot tell whether revoked".
 */
class VerifyPageBrowserTest extends BrowserTest {

  @Test
  void aGenuineCertificateReadsValidAForgedOneInvalidAndOfflineTheSignatureAlone() throws Exception {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String idNumber = Ids.next();
    String personId = Residents.addNewPerson(resident, admin(), idNumber, "陈核验", c.district());
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", idNumber, "name", "陈核验")), 201);
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200);
    JsonNode line = await().atMost(Duration.ofSeconds(20)).until(() -> ok(resident.get("/api/v1/resident/persons/" + personId + "/results"), 200)
        .json().path(0), l -> "NEGATIVE".equals(l.path("status").asString()));
    byte[] pdf = ok(resident.get("/api/v1/certificates/" + line.path("resultId").asString()), 200).bytes();
    // the certificate itself, as a picture to look at
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      Path out = Path.of("target/screenshots/certificate.png");
      Files.createDirectories(out.getParent());
      javax.imageio.ImageIO.write(new PDFRenderer(doc).renderImageWithDPI(0, 110), "png", out.toFile());
    }
    String token = CertificateApiTest.tokenOf(pdf);

    driver.get(api().base() + "/verify#t=" + token);
    wait.until(attributeToBe(By.id("verdict"), "data-state", "VALID"));
    assertThat(browser.text("verdict-word")).contains("有效").contains("VALID");
    assertThat(browser.text("verdict-sub")).contains("阴性").contains("Negative");
    assertThat(browser.text("verdict-name")).isEqualTo("陈*验");
    assertThat(browser.text("verdict-note")).contains("Sampled").contains(c.lab());
    browser.screenshot("verify-valid-phone.png");

    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
        new String(Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8).replace("陈*验", "王*五")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
    paste(forged);
    wait.until(attributeToBe(By.id("verdict"), "data-state", "INVALID"));
    assertThat(browser.text("verdict-word")).contains("无效").contains("INVALID");
    assertThat(browser.text("verdict-name")).isEmpty();
    browser.screenshot("verify-forged-phone.png");

    // no network: the key kept from the visit checks the signature, and the page says what it cannot know
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    driver.setNetworkConditions(offline);
    paste(token);
    wait.until(attributeToBe(By.id("verdict"), "data-state", "GENUINE"));
    assertThat(driver.findElement(By.id("verdict")).getDomAttribute("data-mode")).isEqualTo("OFFLINE");
    assertThat(browser.text("verdict-note")).contains("cannot tell whether it was revoked");
    assertThat(browser.text("verdict-name")).isEqualTo("陈*验");
    browser.screenshot("verify-offline-phone.png");
    paste(forged);
    wait.until(attributeToBe(By.id("verdict"), "data-state", "INVALID"));
    assertThat(driver.findElement(By.id("verdict")).getDomAttribute("data-mode")).isEqualTo("OFFLINE");
    driver.deleteNetworkConditions();
  }

  private void paste(String text) {
    var field = driver.findElement(By.id("token"));
    field.clear();
    // a whole token at once, as a paste or a scanner's burst, not key by key
    driver.executeScript("arguments[0].value = arguments[1];", field, text);
    driver.findElement(By.id("check")).click();
  }
}
