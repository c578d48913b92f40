package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command centre on an official's phone (390 × 844) and on the command room's wall
 * (1920 × 1080), after a small flow (pools and a single tube sampled at a site inside a district
 * whose outline is the bundled 宿城区, a box received at the lab, a positive released): the main
 * panels are on screen at both sizes, nothing is wider than the phone, and the map draws the
 * district's outline with its name, the site and the lab. Saves
 * target/screenshots/command-phone.png (the phone's first screen), command-phone-full.png (the whole
 * page), command-phone-map.png and command-phone-labs.png (scrolled to them) and command-wall.png (the wall's screen).
 */
class CommandCentreSizesBrowserTest extends BrowserTest {

  private static final List<String> PANELS = List.of("kpi-personsSampled", "kpi-positives", "chart-funnel", "chart-districts",
      "chart-map", "chart-trend", "turnaround-table", "labs-table", "alerts");

  @Test
  void theCommandCentreReadsOnAPhoneAndOnTheWall() throws IOException {
    // a corner of the city inside 宿城区, with that district's real outline
    Corner c = corner(33.9630, 118.2752);
    JsonNode feature;
    try (InputStream in = new ClassPathResource("demo/suqian-districts.geojson").getInputStream()) {
      feature = JsonMapper.builder().build().readTree(in).path("features").get(0);
    }
    assertThat(feature.path("properties").path("name").asString()).isEqualTo("宿城区");
    ok(admin().put("/api/v1/districts/" + c.district() + "/outline", Map.of("outline", feature)), 200);

    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    List<String> pools = List.of(Flows.fillTube(c.collector(), unique("T"), 10).tubeCode(),
        Flows.fillTube(c.collector(), unique("T"), 10).tubeCode());
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), pools);
    Flows.receive(tech, c.lab(), box, pools);
    String single = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), courier, tech, c.lab(), single, unique("B"), unique("P"));
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    String official = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);

    // ---- on the official's phone
    driver.get(api().base() + "/command");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-loaded") != null
        && d.findElements(By.cssSelector("#alerts li[data-kind='CRITICAL_RESULT'][data-subject='" + single + "']")).size() == 1);
    assertThat(Long.parseLong(driver.findElement(By.id("kpi-personsSampled")).getAttribute("data-value"))).isGreaterThanOrEqualTo(21);

    // the map: the district's outline under its name, the site and the lab on it
    String region = (String) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
        const map = echarts.getMap(c.getOption().geo[0].map);
        const f = map.geoJSON.features.find((x) => x.properties.code === arguments[0]);
        return f ? f.properties.name : null;""", c.district());
    assertThat(region).contains("区 " + c.district());
    assertThat(mapPoints(0)).contains(c.site());
    assertThat(mapPoints(1)).contains(c.lab());

    browser.screenshot("command-phone.png");
    browser.screenshotFullPage("command-phone-full.png");
    // the map and the labs as a person scrolls to them
    for (String id : List.of("chart-map", "labs-table")) {
      driver.executeScript("document.getElementById(arguments[0]).closest('.cc-card').scrollIntoView()", id);
      browser.screenshot("command-phone-" + id.replace("chart-", "").replace("-table", "") + ".png");
    }
    driver.executeScript("window.scrollTo(0, 0)");
    fitsAndShows(390);
    // the map is drawn inside the phone's width, not cut off
    Map<?, ?> map = (Map<?, ?>) driver.executeScript(
        "const r = document.getElementById('chart-map').getBoundingClientRect(); return {left: r.left, right: r.right, height: r.height};");
    assertThat(((Number) map.get("left")).doubleValue()).isGreaterThanOrEqualTo(0);
    assertThat(((Number) map.get("right")).doubleValue()).isLessThanOrEqualTo(390);
    assertThat(((Number) map.get("height")).doubleValue()).isGreaterThanOrEqualTo(250);

    // ---- on the wall: the same screen, every panel in its place, no scrolling sideways
    browser.resize(1920, 1080);
    wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return window.innerWidth")).intValue() == 1920);
    browser.screenshot("command-wall.png");
    fitsAndShows(1920);
    // the tiles and the three charts of the first row are all in the wall's first screen
    for (String id : List.of("kpi-personsSampled", "kpi-recalled", "chart-funnel", "chart-districts", "chart-map")) {
      Number bottom = (Number) driver.executeScript("return document.getElementById(arguments[0]).getBoundingClientRect().bottom", id);
      assertThat(bottom.doubleValue()).as(id + " above the wall's fold").isLessThanOrEqualTo(1080);
    }
  }

  /** Every main panel is displayed with a size, inside the viewport's width, and the page does not scroll sideways. */
  private void fitsAndShows(int width) {
    for (String id : PANELS) {
      WebElement e = driver.findElement(By.id(id));
      assertThat(e.isDisplayed()).as(id + " at " + width).isTrue();
      assertThat(e.getSize().getWidth()).as(id + " at " + width).isPositive().isLessThanOrEqualTo(width);
      assertThat(e.getSize().getHeight()).as(id + " at " + width).isPositive();
    }
    Map<?, ?> m = (Map<?, ?>) driver.executeScript(
        "return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth};");
    assertThat(((Number) m.get("scroll")).intValue()).as("scrollWidth at " + width)
        .isLessThanOrEqualTo(((Number) m.get("inner")).intValue());
  }

  private List<String> mapPoints(int series) {
    List<?> names = (List<?>) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
        return c.getOption().series[arguments[0]].data.map((p) => p.label);""", series);
    return names.stream().map(String::valueOf).toList();
  }
}
