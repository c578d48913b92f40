package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * The command centre's lab panel as an official reads it: one lab is given, through the API, a
 * run that a Westgard 1-3s rejection holds, a fridge out of range past its grace period (an
 * open excursion), a kit lot near expiry and a consumable lot at its low-stock mark; a second
 * lab keeps nothing wrong. An official opens the screen on the wall and reads each of these in
 * the lab's row of the lab network; after the reviewer's corrective action and the fridge back
 * in range the row says so on its next refresh. Screenshots at wall and phone size.
 */
class CommandCentreLabStateBrowserTest extends BrowserTest {

  private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1600, 1000);
  }

  @Test
  void theLabPanelShowsHeldRunsExcursionsAndStockOfEachLab() throws IOException {
    Corner c = corner();
    String lab = c.lab();
    String calm = corner().lab();
    Api director = staff("LAB_DIRECTOR", null, lab);
    Api tech = staff("LAB_TECH", null, lab);
    Api reviewer = staff("LAB_REVIEWER", null, lab);
    String base = "/api/v1/labs/" + lab;
    LocalDate today = LocalDate.ofInstant(clock.instant(), CITY);

    // ---- stock: a kit lot that expires in 5 days (near expiry), a consumable at its low-stock mark
    String kit = unique("KIT");
    String tips = unique("TIP");
    ok(director.post(base + "/reagent-lots", Api.obj("item", "新冠 ORF1ab/N 试剂盒", "kind", "KIT", "lotNumber", kit,
        "expiresOn", today.plusDays(5).toString(), "quantity", 480, "lowAt", 48)), 201);
    ok(director.post(base + "/reagent-lots", Api.obj("item", "吸头 Pipette tips", "kind", "CONSUMABLE", "lotNumber", tips,
        "expiresOn", today.plusMonths(6).toString(), "quantity", 20, "lowAt", 20)), 201);

    // ---- QC: a control lot, one run whose positive control lies 3.5 SD above its mean (1-3s): held
    ok(director.post(base + "/qc/lots", Api.obj("material", "SARS-CoV-2 弱阳性质控", "level", 1, "lotNumber", unique("QC"),
        "targets", List.of(Map.of("target", "ORF1ab", "mean", 27.5, "sd", 0.5), Map.of("target", "N", "mean", 28.2, "sd", 0.5),
            Map.of("target", "IC", "mean", 27.0, "sd", 0.5)))), 201);
    List<String> tubes = new ArrayList<>(List.of(Flows.fillTube(c.collector(), unique("T"), 2).tubeCode()));
    String box = unique("B");
    Flows.ship(c.collector(), staff("COURIER", null, null), box, lab, tubes);
    Flows.receive(tech, lab, box, tubes);
    String run = ok(tech.post(base + "/runs", Api.obj("plateCode", unique("P"), "wells", Plates.wellsJson(Plates.layout(tubes)),
        "reagentLot", kit)), 201).str("runId");
    List<Map<String, Object>> wells = new ArrayList<>();
    Plates.layout(tubes).keySet().forEach(w -> wells.add(Map.of("well", w, "ct", Map.of("IC", 28.0))));
    wells.add(Map.of("well", "H11", "ct", Map.of("ORF1ab", 29.25, "N", 28.2, "IC", 27.0)));
    wells.add(Map.of("well", "H12", "ct", Map.of()));
    ok(tech.post("/api/v1/runs/" + run + "/results", Map.of("wells", wells)), 200);
    assertThat(jdbc.sql("select status from qc_runs where run_id = ?::uuid").param(run).query(String.class).single()).isEqualTo("REJECTED");

    // ---- environment: the reagent fridge (2–8 °C, 30 s grace) reads 9.5, 10.4, 9.8 °C over two minutes: an open excursion
    String env = base + "/environment";
    ok(director.post(env + "/rooms", Api.obj("code", "REAGENT", "name", "试剂准备区 Reagent preparation")), 201);
    ok(director.post(env + "/devices", Api.obj("code", "FRIDGE-1", "name", "试剂冰箱 Reagent fridge", "roomCode", "REAGENT",
        "silenceMinutes", 1440)), 201);
    ok(director.put(env + "/thresholds", Api.obj("roomCode", "REAGENT", "deviceCode", "FRIDGE-1", "measure", "TEMPERATURE",
        "min", 2.0, "max", 8.0, "graceSeconds", 30)), 200);
    String key = ok(director.post(env + "/gateways", Api.obj("name", "网关 Gateway")), 201).str("key");
    Instant t0 = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(2));
    JsonNode outcome = ok(api().post("/api/v1/environment/readings", Map.of("readings", List.of(
        reading(t0, 9.5), reading(t0.plusSeconds(60), 10.4), reading(t0.plusSeconds(110), 9.8))), Map.of("X-Gateway-Key", key)), 200).json();
    assertThat(outcome.path("excursionsRaised").asInt()).isEqualTo(1);

    // ---- the API's register holds it all
    Api officialApi = staff("OFFICIAL", null, null);
    JsonNode row = mine(officialApi, lab);
    assertThat(row.path("qcHeldRuns").asInt()).isEqualTo(1);
    assertThat(row.path("openExcursions").asInt()).isEqualTo(1);
    assertThat(row.path("silentSensors").asInt()).isZero();
    assertThat(row.path("lowStockLots").valueStream().map(JsonNode::asString).toList()).containsExactly(tips);
    assertThat(row.path("expiringLots").valueStream().map(JsonNode::asString).toList()).containsExactly(kit);
    JsonNode quiet = mine(officialApi, calm);
    assertThat(quiet.path("qcHeldRuns").asInt()).isZero();
    assertThat(quiet.path("openExcursions").asInt()).isZero();
    assertThat(quiet.path("lowStockLots").size()).isZero();

    // ---- an official on the wall reads it from the lab panel
    String official = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    driver.get(api().base() + "/command");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    By state = By.cssSelector("#network-table tr[data-lab='" + lab + "'] td.lab-state");
    wait.until(attributeToBe(state, "data-state", "attention"));
    wait.until(textToBePresentInElementLocated(state, "质控拦截 QC held: 1 批 runs"));
    String text = driver.findElement(state).getText();
    assertThat(text).contains("环境超限 Excursions: 1").contains("库存不足 Low stock: " + tips).contains("临近过期 Expiring: " + kit)
        .doesNotContain("传感器失联");
    assertThat(kinds(state)).containsExactly("qc", "excursion", "low", "expiring");
    By calmState = By.cssSelector("#network-table tr[data-lab='" + calm + "'] td.lab-state");
    assertThat(driver.findElement(calmState).getAttribute("data-state")).isEqualTo("ok");
    assertThat(driver.findElement(calmState).getText()).isEqualTo("正常 OK");
    // the cells carry their column's heading for the phone's layout
    assertThat(driver.findElement(state).getAttribute("data-label")).contains("质控 · 环境 · 试剂");
    show(lab);
    browser.screenshot("command-lab-state.png");

    // ---- the reviewer corrects the held run and the fridge is back in range: the row clears on its next refresh
    ok(reviewer.post("/api/v1/runs/" + run + "/qc/corrective-action", Map.of("action", "质控品复溶后复测在控 Control re-made, in control on retest")), 200);
    ok(api().post("/api/v1/environment/readings", Map.of("readings", List.of(reading(t0.plusSeconds(150), 5.0))), Map.of("X-Gateway-Key", key)), 200);
    wait.until(d -> !d.findElement(state).getText().contains("质控拦截"));
    wait.until(d -> !d.findElement(state).getText().contains("环境超限"));
    assertThat(kinds(state)).containsExactly("low", "expiring");

    // ---- the same panel on an official's phone
    browser.resize(390, 844);
    wait.until(presenceOfElementLocated(state));
    show(lab);
    browser.screenshot("command-lab-state-phone.png");
    WebElement cell = driver.findElement(state);
    // on a phone the state spans the row's width and stays inside the screen
    Number right = (Number) driver.executeScript("return arguments[0].getBoundingClientRect().right", cell);
    assertThat(right.doubleValue()).isLessThanOrEqualTo(390);
    assertThat(cell.getText()).contains("库存不足 Low stock: " + tips);
  }

  private static Map<String, Object> reading(Instant at, double value) {
    return Api.obj("device", "FRIDGE-1", "measure", "TEMPERATURE", "at", at.toString(), "value", value);
  }

  private List<String> kinds(By state) {
    return driver.findElement(state).findElements(By.cssSelector(".lab-state-line")).stream().map(e -> e.getAttribute("data-kind")).toList();
  }

  /** Scrolls the lab's row of the network panel to the middle of the screen for the screenshot. */
  private void show(String lab) {
    driver.executeScript("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})",
        "#network-table tr[data-lab='" + lab + "']");
  }

  private static JsonNode mine(Api reader, String lab) {
    JsonNode all = ok(reader.get("/api/v1/dashboard/lab-network"), 200).json();
    return all.valueStream().filter(x -> x.path("code").asString().equals(lab)).findFirst().orElseThrow();
  }
}
