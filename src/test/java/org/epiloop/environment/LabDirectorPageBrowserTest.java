package org.epiloop.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The lab director's page in a real (headless) Chromium after a small day at one lab: a gateway
 * sends an hour of readings with a freezer excursion, a positive tube is released and waits for
 * the bank, a site's booked slot gets its box. The page's alert list, readings, bank, bookings and
 * turnaround are read back; the director stores the tube from the page.
 */
class LabDirectorPageBrowserTest extends BrowserTest {

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1200, 900);
  }

  @Test
  void theDirectorSeesTheAlertsReadingsBankBookingsAndTurnaround() throws IOException {
    Corner c = corner();
    String director = unique("lab-director").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", director, "password", PASSWORD, "role", "LAB_DIRECTOR", "labCode", c.lab())), 201);
    Api directorApi = api().as(token(director, PASSWORD));
    String base = "/api/v1/labs/" + c.lab() + "/environment";
    ok(directorApi.post(base + "/rooms", Api.obj("code", "STORE", "name", "样本库 Sample store")), 201);
    ok(directorApi.post(base + "/rooms", Api.obj("code", "PCR", "name", "扩增区 Amplification")), 201);
    ok(directorApi.post(base + "/devices", Api.obj("code", "FRZ-80", "name", "超低温冰箱 −80 °C freezer", "roomCode", "STORE", "silenceMinutes", 30)), 201);
    ok(directorApi.post(base + "/devices", Api.obj("code", "PCR-AIR", "name", "压差计 Pressure gauge", "roomCode", "PCR", "silenceMinutes", 30)), 201);
    ok(directorApi.put(base + "/thresholds", Api.obj("roomCode", "STORE", "deviceCode", "FRZ-80", "measure", "TEMPERATURE", "min", -90.0, "max", -60.0,
        "graceSeconds", 300)), 200);
    ok(directorApi.put(base + "/thresholds", Api.obj("roomCode", "PCR", "measure", "PRESSURE_DIFF", "min", -30.0, "max", -5.0, "graceSeconds", 120)), 200);
    String key = ok(directorApi.post(base + "/gateways", Api.obj("name", "网关 Gateway A")), 201).str("key");
    // an hour of readings, one a minute: the freezer warms past −60 °C for the last 20 minutes
    Instant start = clock.instant().minus(Duration.ofMinutes(60));
    List<Map<String, Object>> readings = new ArrayList<>();
    for (int m = 0; m <= 60; m++) {
      String at = start.plus(Duration.ofMinutes(m)).toString();
      readings.add(Api.obj("device", "FRZ-80", "measure", "TEMPERATURE", "at", at, "value", m < 40 ? -80.0 + (m % 3) : -58.0 + (m - 40) * 0.1));
      readings.add(Api.obj("device", "PCR-AIR", "measure", "PRESSURE_DIFF", "at", at, "value", -15.0 + (m % 5)));
    }
    ok(api().post("/api/v1/environment/readings", Map.of("readings", readings), Map.of("X-Gateway-Key", key)), 200);
    // a booked slot, and a positive tube from receipt to release
    ok(c.collector().post("/api/v1/bookings", Api.obj("labCode", c.lab(), "siteCode", c.site(), "startsAt", clock.instant().minus(Duration.ofMinutes(30)).toString(),
        "endsAt", clock.instant().plus(Duration.ofHours(1)).toString(), "expectedTubes", 5)), 201);
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), staff("COURIER", null, null), staff("LAB_TECH", null, c.lab()), c.lab(), tube, unique("B"),
        unique("P"));
    ok(staff("LAB_REVIEWER", null, c.lab()).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);

    driver.get(api().base() + "/lab/director");
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.sendKeys(director);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    wait.until(textToBe(By.id("lab-code"), c.lab()));
    // the alert list: the freezer's excursion, with its start and peak, still open
    wait.until(textToBe(By.id("env-alert-count"), "1"));
    List<WebElement> alerts = driver.findElements(By.cssSelector("#env-alerts li.open"));
    assertThat(alerts).hasSize(1);
    String alert = alerts.get(0).getText();
    assertThat(alerts.get(0).getAttribute("data-device")).isEqualTo("FRZ-80");
    assertThat(alert).contains("STORE / FRZ-80").contains("峰值 peak -56.0").contains("限值 limit -60.0").contains("未结束 ongoing");
    // the readings table marks the freezer out of range; the chart draws 61 minutes
    wait.until(textToBePresentInElementLocated(By.id("env-current"), "PCR-AIR"));
    assertThat(driver.findElement(By.cssSelector("#env-current tr.d-bad")).getText()).contains("FRZ-80").contains("-56.0 °C");
    Number points = (Number) driver.executeScript("const c = echarts.getInstanceByDom(document.getElementById('env-chart'));"
        + "return c ? c.getOption().series[0].data.length : -1;");
    assertThat(points.intValue()).isEqualTo(61);
    // the bank: the positive tube waits; the director stores it from the page
    wait.until(textToBePresentInElementLocated(By.id("bank-waiting"), tube));
    browser.screenshotFullPage("lab-director-page");
    driver.findElement(By.id("bank-tube")).sendKeys(tube);
    driver.findElement(By.id("bank-freezer")).sendKeys("FRZ-80");
    driver.findElement(By.id("bank-rack")).sendKeys("R01");
    driver.findElement(By.id("bank-box")).sendKeys("B01");
    driver.findElement(By.id("bank-position")).sendKeys("A1");
    driver.findElement(By.cssSelector("#bank-form button[type=submit]")).click();
    wait.until(textToBePresentInElementLocated(By.id("bank-counts"), "在库 Stored 1"));
    assertThat(jdbc.sql("select freezer || '/' || rack || '/' || box || '/' || position from bank_tubes where tube_code = ?").param(tube)
        .query(String.class).single()).isEqualTo("FRZ-80/R01/B01/A1");
    // bookings: expected 5, the one tube arrived in its box
    wait.until(textToBePresentInElementLocated(By.id("bookings"), c.site()));
    assertThat(driver.findElement(By.cssSelector("#bookings tbody tr")).getText()).contains(c.site()).contains("5").contains("1");
    // turnaround: the released sample's stages
    wait.until(textToBePresentInElementLocated(By.id("perf-figures"), "已发布样本 Released samples 1"));
    assertThat(driver.findElement(By.id("perf-stages")).getText()).contains("全程 Collection → release");
    browser.screenshotFullPage("lab-director-page-stored");
    browser.screenshotAt("lab-director-page-phone", 390, 844);
  }
}
