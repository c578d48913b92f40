package org.epiloop.labquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

/**
 * The quality page and the bench as a lab uses them, in a real (headless) Chromium: the director
 * registers a kit lot and a cycler with the page's forms; eight runs are plated on them and their
 * positive controls drift (+2.3 SD, then +2.5 SD); the Levey–Jennings chart's points are read back
 * from the ECharts instance with their broken rules; then a reviewer at the bench sees the held
 * run's lot, cycler and QC rejection, is refused the release, records the corrective action and
 * releases it. The database is checked directly, so the pages cannot fake what they show.
 */
class LabQualityPageBrowserTest extends BrowserTest {

  private static final double MEAN = 27.5;
  private static final double SD = 0.5;
  /** z-scores of the eight runs' positive control (ORF1ab): a 1-2s warning at run 5, 2-2s at run 6. */
  private static final double[] Z = {0.2, -0.4, 0.6, -0.2, 2.3, 2.5, 0.1, -0.3};

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1200, 900);
  }

  @Test
  void theDirectorKeepsLotsTheChartShowsTheDriftAndAReviewerCorrectsTheHeldRun() throws IOException {
    Corner corner = corner();
    String lab = corner.lab();
    String director = user("LAB_DIRECTOR", lab);
    String tech = user("LAB_TECH", lab);
    String reviewer = user("LAB_REVIEWER", lab);
    Api directorApi = api().as(token(director, PASSWORD));
    Api techApi = api().as(token(tech, PASSWORD));
    String controlLot = unique("PC");
    ok(directorApi.post("/api/v1/labs/" + lab + "/qc/lots", Api.obj("material", "新冠弱阳性质控品 Weak positive control", "level", 1,
        "lotNumber", controlLot, "targets", List.of(Map.of("target", "ORF1ab", "mean", MEAN, "sd", SD),
            Map.of("target", "N", "mean", 28.2, "sd", 0.5), Map.of("target", "IC", "mean", 27.0, "sd", 0.5)))), 201);

    // ---- the director registers a kit lot and a cycler on the page
    driver.get(api().base() + "/lab/quality");
    login(director, lab);
    String kit = unique("KIT");
    String cycler = unique("PCR");
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
    wait.until(visibilityOfElementLocated(By.id("reagent-form")));
    driver.findElement(By.id("r-item")).sendKeys("新冠核酸检测试剂盒 SARS-CoV-2 PCR kit");
    driver.findElement(By.id("r-lot")).sendKeys(kit);
    date("r-expires", today.plusMonths(6));
    driver.findElement(By.id("r-quantity")).sendKeys("200");
    driver.findElement(By.id("r-low")).sendKeys("40");
    driver.findElement(By.cssSelector("#reagent-form button[type=submit]")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#reagents tr[data-lot='" + kit + "']")));
    driver.findElement(By.id("i-code")).sendKeys(cycler);
    driver.findElement(By.id("i-name")).sendKeys("ABI 7500 #1");
    date("i-calibration", today.plusMonths(3));
    date("i-maintenance", today.plusDays(3));
    driver.findElement(By.cssSelector("#instrument-form button[type=submit]")).click();
    wait.until(textToBePresentInElementLocated(By.id("instruments"), cycler));
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isEqualTo(200);

    // ---- eight runs on that kit lot and cycler, one tube each, the control drifting
    List<String> tubes = new ArrayList<>();
    for (int i = 0; i < Z.length; i++) {
      tubes.add(Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode());
    }
    String box = unique("B");
    Flows.ship(corner.collector(), api().as(token(user("COURIER", null), PASSWORD)), box, lab, tubes);
    Flows.receive(techApi, lab, box, tubes);
    List<String> runs = new ArrayList<>();
    for (int i = 0; i < Z.length; i++) {
      List<String> one = List.of(tubes.get(i));
      String run = ok(techApi.post("/api/v1/labs/" + lab + "/runs", Api.obj("plateCode", unique("P"),
          "wells", Plates.wellsJson(Plates.layout(one)), "reagentLot", kit, "cycler", cycler)), 201).str("runId");
      ok(techApi.post("/api/v1/runs/" + run + "/results", Map.of("wells", List.of(
          Map.of("well", "A1", "ct", Map.of("IC", 28.0)),
          Map.of("well", "H11", "ct", Map.of("ORF1ab", ct(i), "N", 28.2, "IC", 27.0)),
          Map.of("well", "H12", "ct", Map.of())))), 200);
      runs.add(run);
    }
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single())
        .as("8 runs × 3 wells").isEqualTo(200 - 24);
    String held = runs.get(5);

    // ---- the chart: read its points from the ECharts instance
    driver.findElement(By.id("refresh")).click();
    wait.until(textToBePresentInElementLocated(By.id("lj-summary"), "8 点 points"));
    @SuppressWarnings("unchecked")
    List<List<Object>> points = (List<List<Object>>) driver.executeScript("""
        const chart = echarts.getInstanceByDom(document.getElementById('lj-chart'));
        return chart.getOption().series[0].data.map((d) => [d.value[1], d.rules.join(',')]);""");
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < Z.length; i++) {
      expected.add(List.of(ct(i), i == 4 ? "1-2s" : i == 5 ? "1-2s,2-2s" : ""));
    }
    assertThat(points.stream().map(p -> List.of(((Number) p.get(0)).doubleValue(), p.get(1))).toList()).isEqualTo(expected);
    assertThat(browser.text("lj-summary")).contains(controlLot).contains("2 违规");
    assertThat(browser.text("flagged")).contains(held.substring(0, 8)).contains("Rejected");
    browser.screenshotFullPage("lab-quality-director.png");
    browser.screenshotAt("lab-quality-phone.png", 390, 844);

    // ---- the reviewer at the bench: the held run's lot, cycler and QC; refused, corrected, released
    driver.findElement(By.id("logout")).click();
    driver.get(api().base() + "/lab");
    login(reviewer, lab);
    driver.findElement(By.id("tab-review")).click();
    browser.awaitFocus("review-scan");
    browser.scanInto("review-scan", held);
    wait.until(attributeToBe(By.id("review-qc-status"), "data-status", "REJECTED"));
    assertThat(browser.text("review-resources")).contains(kit).contains(cycler);
    assertThat(browser.text("review-qc-list")).contains("2-2s").contains("ORF1ab").contains(controlLot);
    approve();
    wait.until(attributeToBe(By.id("message"), "data-code", "QC_REJECTED"));
    browser.screenshotFullPage("lab-bench-qc-rejected.png");
    driver.findElement(By.id("qc-action")).sendKeys("质控品复溶后复测在控；扩增仪已校准 Control re-reconstituted, in control on retest");
    driver.findElement(By.id("qc-correct")).click();
    wait.until(attributeToBe(By.id("review-qc-status"), "data-status", "CORRECTED"));
    approve();
    wait.until(attributeToBe(By.id("message"), "data-code", "RELEASED"));
    wait.until(textToBe(By.id("review-status"), "RELEASED"));
    browser.screenshotFullPage("lab-bench-qc-corrected.png");
    assertThat(jdbc.sql("select status from runs where id = ?::uuid").param(held).query(String.class).single()).isEqualTo("RELEASED");
    assertThat(jdbc.sql("select corrected_by from qc_runs where run_id = ?::uuid").param(held).query(String.class).single()).isEqualTo(reviewer);
  }

  private static double ct(int i) {
    return Math.round((MEAN + Z[i] * SD) * 100) / 100.0;
  }

  /** Types a date into a date input the way Chromium takes it from a keyboard (in the page's locale order). */
  private void date(String id, LocalDate d) {
    driver.executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];", id,
        d.format(DateTimeFormatter.ISO_LOCAL_DATE));
  }

  private void login(String username, String lab) {
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    wait.until(textToBe(By.id("lab-code"), lab));
    wait.until(textToBe(By.id("user"), username));
  }

  /** Approving releases results to people, so it takes two taps. */
  private void approve() {
    WebElement button = wait.until(visibilityOfElementLocated(By.id("approve")));
    button.click();
    wait.until(textToBePresentInElementLocated(By.id("approve"), "Tap again"));
    button.click();
  }

  private String user(String role, String lab) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role, "labCode", lab)), 201);
    return name;
  }
}
