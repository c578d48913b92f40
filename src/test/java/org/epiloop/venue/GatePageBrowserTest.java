package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The venue gate as a venue uses it, in a real (headless) Chromium against the whole
 * application on a real PostgreSQL: a venue manager logs in, and a keyboard-wedge scanner types
 * residents' health codes into whatever has focus, then Enter — the test never clicks the scan
 * field, which proves the page keeps it focused. A green code admits, a tampered one is denied
 * as invalid, and the very same green token is denied once an official has turned the person
 * red: the colour is checked online, not read from the code.
 */
class GatePageBrowserTest extends BrowserTest {

  @Test
  void aGreenCodeIsAdmittedATamperedOneDeniedAndTheSameCodeDeniedOnceThePersonIsRed() throws IOException {
    String district = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "区 " + district)), 201);
    String manager = unique("venue-manager").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", manager, "password", PASSWORD, "role", "VENUE_MANAGER")), 201);

    // a resident with a fresh green code on their phone
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String person = Residents.addPerson(resident, admin(), Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "门口检",
        "districtCode", district)).str("personId");
    Api.Res code = ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200);
    assertThat(code.str("color")).isEqualTo("GREEN");
    String token = code.str("token");

    // ---- the manager logs in from the landing page; the scan field takes the focus by itself
    driver.get(api().base() + "/");
    driver.findElement(By.id("link-gate")).click();
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.sendKeys(manager);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), manager));
    assertThat(browser.text("role")).contains("Venue manager");
    browser.awaitFocus("scan");
    assertThat(browser.text("verdict")).contains("Show your health code");
    browser.screenshot("gate.png");

    // ---- green: admitted
    browser.scanInto("scan", token);
    wait.until(attributeToBe(By.id("verdict"), "data-seq", "1"));
    browser.screenshot("gate-admit.png");
    assertThat(attr("verdict", "data-verdict")).isEqualTo("ADMIT");
    assertThat(attr("verdict", "data-color")).isEqualTo("GREEN");
    assertThat(browser.text("verdict-word")).contains("ADMIT");
    assertThat(browser.text("verdict-color")).isEqualTo("绿码 GREEN");
    assertThat(browser.text("verdict-name")).isEqualTo("门*检");
    assertThat(fullWidth("verdict")).as("the answer spans the screen").isTrue();
    assertThat(((JavascriptExecutor) driver).executeScript(
        "return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).as("no sideways scrolling").isEqualTo(true);
    // ... and the answer clears itself for the next person
    wait.until(attributeToBe(By.id("verdict"), "data-verdict", ""));
    assertThat(browser.text("verdict-name")).isEmpty();

    // ---- a tampered token: its payload edited (the signed colour), so the signature no longer matches
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    assertThat(payload).contains("\"col\":\"GREEN\"");
    String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(payload.replace("\"col\":\"GREEN\"", "\"col\":\"YELLOW\"").getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
    browser.scanInto("scan", tampered);
    wait.until(attributeToBe(By.id("verdict"), "data-seq", "2"));
    browser.screenshot("gate-invalid.png");
    assertThat(attr("verdict", "data-verdict")).isEqualTo("DENY");
    assertThat(attr("verdict", "data-color")).isEqualTo("INVALID");
    assertThat(browser.text("verdict-word")).contains("DENY");
    assertThat(browser.text("verdict-color")).contains("Invalid or expired code");
    assertThat(browser.text("verdict-name")).isEmpty();

    // ---- an official turns the person red; the SAME token, still within its three minutes, is denied
    ok(staff("OFFICIAL", null, null).post("/api/v1/health-codes/overrides", Api.obj("personId", person, "color", "RED",
        "reason", "阳性病例同行 Travelled with a case", "hours", 24)), 200);
    browser.scanInto("scan", token);
    wait.until(attributeToBe(By.id("verdict"), "data-seq", "3"));
    browser.screenshot("gate-red.png");
    assertThat(attr("verdict", "data-verdict")).isEqualTo("DENY");
    assertThat(attr("verdict", "data-color")).isEqualTo("RED");
    assertThat(browser.text("verdict-color")).isEqualTo("红码 RED");
    assertThat(browser.text("verdict-name")).isEqualTo("门*检");
    assertThat(browser.text("verdict-note")).contains("Shown as GREEN; RED now");
    assertThat(browser.text("tally-admit")).isEqualTo("1");
    assertThat(browser.text("tally-deny")).isEqualTo("2");
    browser.awaitFocus("scan");
  }

  private String attr(String id, String name) {
    return driver.findElement(By.id(id)).getDomAttribute(name);
  }

  /** Whether the element is as wide as the viewport. */
  private boolean fullWidth(String id) {
    Object r = ((JavascriptExecutor) driver).executeScript(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
            + " return r.left <= 1 && r.right >= document.documentElement.clientWidth - 1;", id);
    return Boolean.TRUE.equals(r);
  }
}
