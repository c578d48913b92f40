package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import tools.jackson.databind.JsonNode;

/**
 * The command-centre screen after a small day built through the API (three districts, three
 * labs; sampling from 08:00, receipts at 10:00, releases at 11:00; one lab left with a backlog,
 * a positive single tube, a box still on the road): an official logs in on a wall-sized window;
 * the tiles, the funnel, the district bars and the hourly trend hold the API's figures (read
 * from the ECharts instances on the page); the labs are sorted by risk; a lab row, an alert
 * and a district bar each drill down; and the screen refreshes itself without a reload. Saves
 * target/screenshots/command-centre.png.
 */
class CommandCentreBrowserTest extends BrowserTest {

  static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1600, 1000);
  }

  @Test
  void theWallScreenShowsTheDay() throws IOException {
    LocalDate day = LocalDate.now(CITY).plusDays(20 + ThreadLocalRandom.current().nextInt(60));
    clock.advance(Duration.between(clock.instant(), day.atTime(LocalTime.of(8, 0)).atZone(CITY).toInstant()));

    List<Corner> corners = List.of(corner(33.96, 118.27), corner(33.99, 118.33), corner(33.93, 118.36));
    Api courier = staff("COURIER", null, null);
    List<Api> techs = new ArrayList<>();
    List<Api> reviewers = new ArrayList<>();
    for (Corner c : corners) {
      techs.add(staff("LAB_TECH", null, c.lab()));
      reviewers.add(staff("LAB_REVIEWER", null, c.lab()));
    }
    String officialName = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", officialName, "password", PASSWORD, "role", "OFFICIAL")), 201);
    Api official = api().as(token(officialName, PASSWORD));

    // sampling over two hours: district i samples (i + 2) pools of 10 and 3 singles
    List<List<String>> tubes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tubes.add(new ArrayList<>());
    }
    for (int hour = 0; hour < 2; hour++) {
      for (int i = 0; i < 3; i++) {
        for (int k = 0; k < (i + 2) / 2 + hour; k++) {
          tubes.get(i).add(Flows.fillTube(corners.get(i).collector(), unique("T"), 10).tubeCode());
        }
        tubes.get(i).add(Flows.fillTube(corners.get(i).collector(), unique("T"), 1).tubeCode());
      }
      clock.advance(Duration.ofMinutes(60));
    }
    // 10:00: boxes to the labs; district 3's box stays on the road, the rest is received
    List<String> boxes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String box = unique("B");
      boxes.add(box);
      if (i < 2) {
        Flows.ship(corners.get(i).collector(), courier, box, corners.get(i).lab(), tubes.get(i));
        Flows.receive(techs.get(i), corners.get(i).lab(), box, tubes.get(i));
      } else {
        ok(corners.get(i).collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
        for (String t : tubes.get(i)) {
          ok(corners.get(i).collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", t)), 200);
        }
        ok(corners.get(i).collector().post("/api/v1/boxes/" + box + "/seal", Map.of()), 200);
        ok(courier.post("/api/v1/boxes/" + box + "/handover", Map.of("labCode", corners.get(i).lab())), 200);
      }
    }
    // 11:00: lab 1 releases all (one single positive); lab 2 runs nothing and falls behind
    clock.advance(Duration.ofMinutes(60));
    Map<String, String> plate = Plates.layout(tubes.get(0));
    String positive = tubes.get(0).get(tubes.get(0).size() - 1);
    String run = ok(techs.get(0).post("/api/v1/labs/" + corners.get(0).lab() + "/runs",
        Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(plate))), 201).str("runId");
    ok(techs.get(0).postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(plate, Set.of(positive), false)), 200);
    ok(reviewers.get(0).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    clock.advance(Duration.ofMinutes(70));
    await().atMost(Duration.ofSeconds(30)).until(() ->
        ok(official.get("/api/v1/dashboard/summary"), 200).json().path("personsReported").asLong() > 0);

    JsonNode summary = ok(official.get("/api/v1/dashboard/summary"), 200).json();
    JsonNode trend = ok(official.get("/api/v1/dashboard/trend"), 200).json();
    long sampled = summary.path("personsSampled").asLong();
    assertThat(sampled).isGreaterThan(0);
    assertThat(summary.path("day").asString()).isEqualTo(day.toString());

    // ---- an official opens the screen on the wall
    driver.get(api().base() + "/command");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(officialName);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(attributeToBe(By.id("kpi-personsSampled"), "data-value", String.valueOf(sampled)));
    for (String k : List.of("tubesSealed", "boxesInTransit", "tubesReceived", "tubesTested", "personsReported", "positives", "recalled")) {
      assertThat(driver.findElement(By.id("kpi-" + k)).getAttribute("data-value")).as(k).isEqualTo(summary.path(k).asString());
    }
    assertThat(driver.findElement(By.id("day-label")).getText()).isEqualTo(day.toString());

    // the charts hold the same figures
    List<Long> funnel = longs(series("chart-funnel", 0));
    assertThat(funnel).containsExactly(sampled, summary.path("tubesSealed").asLong(), summary.path("tubesReceived").asLong(),
        summary.path("tubesTested").asLong(), summary.path("tubesReleased").asLong(), summary.path("personsReported").asLong());
    List<Long> trendSampled = longs(series("chart-trend", 0));
    assertThat(trendSampled).hasSize(24);
    assertThat(trendSampled.get(8)).isEqualTo(trend.path("hours").get(8).path("sampled").asLong());
    assertThat(trendSampled.stream().mapToLong(Long::longValue).sum()).isEqualTo(sampled);
    List<?> districtNames = (List<?>) driver.executeScript(
        "return echarts.getInstanceByDom(document.getElementById('chart-districts')).getOption().xAxis[0].data");
    List<Long> districtSampled = longs(series("chart-districts", 0));
    for (int i = 0; i < 3; i++) {
      String d = corners.get(i).district();
      int at = indexContaining(districtNames, d);
      assertThat(districtSampled.get(at)).as(d).isEqualTo(ok(official.get("/api/v1/dashboard/summary?districtCode=" + d), 200)
          .json().path("personsSampled").asLong());
    }
    // the lab that fell behind is marked at risk and listed before this day's other labs (labs of
    // other tests may be at risk too); the alerts name it, the box and the positive
    List<String> labOrder = driver.findElements(By.cssSelector("#labs-table tbody tr")).stream()
        .map(tr -> tr.getAttribute("data-lab")).toList();
    assertThat(labOrder.indexOf(corners.get(1).lab())).isLessThan(labOrder.indexOf(corners.get(0).lab()))
        .isLessThan(labOrder.indexOf(corners.get(2).lab()));
    WebElement firstLab = driver.findElement(By.cssSelector("#labs-table tbody tr[data-lab='" + corners.get(1).lab() + "']"));
    assertThat(firstLab.getAttribute("class")).contains("risk");
    assertThat(alertKinds()).contains("LAB_BACKLOG:" + corners.get(1).lab(), "BOX_OVERDUE:" + boxes.get(2),
        "CRITICAL_RESULT:" + positive);
    assertThat(driver.findElement(By.cssSelector("#turnaround-table tr[data-leg='collectionToRelease']")).getText()).contains("180");
    browser.screenshotFullPage("command-centre.png");

    // ---- drill-down: lab → its oldest pending boxes; alert → the box's chain of custody; district bar → its sites
    // found again: the screen redraws its rows on every refresh, and the screenshot may outlast one
    browser.clickFresh(By.cssSelector("#labs-table tbody tr[data-lab='" + corners.get(1).lab() + "']"));
    wait.until(attributeToBe(By.id("drill"), "data-what", "lab:" + corners.get(1).lab()));
    assertThat(driver.findElement(By.id("drill-body")).getText()).contains(boxes.get(1));
    browser.clickFresh(By.cssSelector("#alerts li[data-kind='BOX_OVERDUE'][data-subject='" + boxes.get(2) + "']"));
    wait.until(attributeToBe(By.id("drill"), "data-what", "box:" + boxes.get(2)));
    assertThat(driver.findElement(By.id("drill-body")).getText()).contains(corners.get(2).site());
    clickBar("chart-districts", indexContaining(districtNames, corners.get(0).district()));
    wait.until(attributeToBe(By.id("drill"), "data-what", "district:" + corners.get(0).district()));
    assertThat(driver.findElement(By.id("drill-body")).getText()).contains(corners.get(0).site());
    browser.screenshotFullPage("command-centre-drill.png");

    // ---- it refreshes itself: a new binding shows without a reload
    String loads = driver.findElement(By.tagName("body")).getAttribute("data-loaded");
    Flows.fillTube(corners.get(2).collector(), unique("T"), 1);
    wait.withTimeout(Duration.ofSeconds(30)).until(attributeToBe(By.id("kpi-personsSampled"), "data-value", String.valueOf(sampled + 1)));
    assertThat(Long.parseLong(driver.findElement(By.tagName("body")).getAttribute("data-loaded"))).isGreaterThan(Long.parseLong(loads));
  }

  private List<?> series(String chart, int index) {
    return (List<?>) driver.executeScript(
        "return echarts.getInstanceByDom(document.getElementById(arguments[0])).getOption().series[arguments[1]].data", chart, index);
  }

  private static List<Long> longs(List<?> values) {
    return values.stream().map(v -> ((Number) v).longValue()).toList();
  }

  private static int indexContaining(List<?> names, String code) {
    for (int i = 0; i < names.size(); i++) {
      if (String.valueOf(names.get(i)).contains(code)) {
        return i;
      }
    }
    throw new AssertionError(code + " not in " + names);
  }

  private List<String> alertKinds() {
    return driver.findElements(By.cssSelector("#alerts li[data-kind]")).stream()
        .map(li -> li.getAttribute("data-kind") + ":" + li.getAttribute("data-subject")).toList();
  }

  /** Clicks the middle of a bar of series 0, where ECharts draws it. */
  private void clickBar(String chart, int index) {
    List<?> xy = (List<?>) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById(arguments[0]));
        const v = c.getOption().series[0].data[arguments[1]];
        return c.convertToPixel({seriesIndex: 0}, [arguments[1], v / 2]);""", chart, index);
    WebElement el = driver.findElement(By.id(chart));
    int x = (int) Math.round(((Number) xy.get(0)).doubleValue() - el.getSize().getWidth() / 2.0);
    int y = (int) Math.round(((Number) xy.get(1)).doubleValue() - el.getSize().getHeight() / 2.0);
    // series 0 is the left bar of each category's pair
    new Actions(driver).moveToElement(el, x - 6, y).click().perform();
  }
}
