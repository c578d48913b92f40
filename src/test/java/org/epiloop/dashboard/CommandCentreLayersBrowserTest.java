package org.epiloop.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.core.io.ClassPathResource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The heat and flow layers on the command centre's map (issue 18 items 5 and 7), in Chromium:
 * two districts with the real outlines of 宿城区 and 宿豫区; three residents declare arrivals —
 * two from 兰州市 (620100) into a grid of the first district, one from 武汉市武昌区 (420106) into
 * a grid of the second — and test positive. An official turns the layers on and the page draws
 * the first district (2 positives) hotter than the second (1), the same by grid, and two flows
 * with their counts, each entering from the map's edge in its origin's direction (both lie west
 * of 宿迁). On a day no other test uses (87 days ahead). Saves target/screenshots/
 * command-layers-phone.png (the map with both layers, phone), command-layers-phone-grid.png
 * (by grid) and command-layers-wall.png (1920 × 1080).
 */
class CommandCentreLayersBrowserTest extends BrowserTest {

  private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void heatAndFlowsAreDrawnOnTheMapWithTheirRelativeIntensityAndCounts() throws IOException {
    Instant day = LocalDate.now(ZoneOffset.UTC).plusDays(87).atTime(2, 30).toInstant(ZoneOffset.UTC);
    clock.reset();
    clock.advance(Duration.between(clock.instant(), day));

    JsonNode features;
    try (InputStream in = new ClassPathResource("demo/suqian-districts.geojson").getInputStream()) {
      features = JsonMapper.builder().build().readTree(in).path("features");
    }
    Corner c = corner(33.9630, 118.2752);
    ok(admin().put("/api/v1/districts/" + c.district() + "/outline", Map.of("outline", features.get(0))), 200);
    String east = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", east, "name", "宿豫 " + east)), 201);
    ok(admin().put("/api/v1/districts/" + east + "/outline", Map.of("outline", features.get(1))), 200);
    String westGrid = unique("G");
    String eastGrid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", westGrid, "name", "幸福社区", "districtCode", c.district())), 201);
    ok(admin().post("/api/v1/grids", Api.obj("code", eastGrid, "name", "顺河社区", "districtCode", east)), 201);

    // three residents arrive and declare it, into their grids
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String[][] who = {{c.district(), westGrid, "620100"}, {c.district(), westGrid, "620100"}, {east, eastGrid, "420106"}};
    Map<String, String> names = new java.util.LinkedHashMap<>();
    String arrived = clock.instant().minus(Duration.ofHours(2)).toString();
    for (int i = 0; i < who.length; i++) {
      String id = Ids.next();
      String name = "返乡" + (char) ('甲' + i);
      String person = Residents.addNewPerson(resident, admin(), id, name, who[i][0]);
      names.put(id, name);
      ok(resident.post("/api/v1/resident/persons/" + person + "/declarations", Api.obj("gridCode", who[i][1], "fromRegion", who[i][2],
          "arrivedAt", arrived, "transport", "TRAIN")), 201);
    }

    // each is sampled alone at the corner's site, and the three tubes test positive in one run
    List<String> tubes = names.entrySet().stream().map(p -> {
      String tube = unique("T");
      ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
      ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", p.getKey(), "name", p.getValue())), 201);
      return tube;
    }).toList();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), tubes);
    Flows.receive(tech, c.lab(), box, tubes);
    Map<String, String> layout = Plates.layout(tubes);
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.copyOf(tubes), false)), 200);
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    String today = LocalDate.ofInstant(clock.instant(), CITY).toString();
    Api officialApi = staff("OFFICIAL", null, null);
    await().atMost(Duration.ofSeconds(30)).until(() -> heat(officialApi, today, "GRID").getOrDefault(westGrid, 0) == 2
        && heat(officialApi, today, "GRID").getOrDefault(eastGrid, 0) == 1);

    // ---- the official's phone: log in, turn on the heat and the flows
    String official = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    driver.get(api().base() + "/command");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(d -> d.findElement(By.tagName("body")).getAttribute("data-loaded") != null);
    assertThat(driver.findElement(By.id("heat-legend")).isDisplayed()).as("layers are off until turned on").isFalse();
    driver.executeScript("document.getElementById('map-card').scrollIntoView()");
    driver.findElement(By.id("layer-heat")).click();
    driver.findElement(By.id("layer-flows")).click();
    wait.until(d -> d.findElements(By.cssSelector("#heat-list li[data-code='" + east + "']")).size() == 1
        && d.findElements(By.cssSelector("#flow-list li[data-origin='420106']")).size() == 1);

    // by district: the map series colours the first district hotter than the second, as its legend says
    Map<String, Object> west = district(c.district());
    Map<String, Object> eastHeat = district(east);
    assertThat(((Number) west.get("value")).intValue()).isEqualTo(2);
    assertThat(((Number) eastHeat.get("value")).intValue()).isEqualTo(1);
    assertHotter(west, eastHeat);
    assertThat(listed("heat-list", c.district())).isEqualTo(west.get("swatch"));

    // the flows: 兰州市 ×2 into the first district, 武汉市 420106 ×1 into the second, both from the west edge
    Map<String, Object> lanzhou = flow("620100");
    Map<String, Object> wuhan = flow("420106");
    assertThat(lanzhou.get("district")).isEqualTo(c.district());
    assertThat(((Number) lanzhou.get("count")).intValue()).isEqualTo(2);
    assertThat(wuhan.get("district")).isEqualTo(east);
    assertThat(((Number) wuhan.get("count")).intValue()).isEqualTo(1);
    assertThat(lanzhou.get("label")).isEqualTo("→ 兰州市 ×2");
    assertThat(wuhan.get("label")).isEqualTo("→ 武汉市 420106 ×1");
    for (Map<String, Object> f : List.of(lanzhou, wuhan)) {
      List<?> start = (List<?>) f.get("start");
      List<?> end = (List<?>) f.get("end");
      assertThat(((Number) start.get(0)).doubleValue()).as("enters from the west").isLessThan(((Number) end.get(0)).doubleValue());
      assertThat((Boolean) f.get("onEdge")).as("starts on the frame's edge, not at the far origin").isTrue();
    }
    assertThat(((Number) ((List<?>) wuhan.get("start")).get(1)).doubleValue()).as("武汉 lies south-west")
        .isLessThan(((Number) ((List<?>) wuhan.get("end")).get(1)).doubleValue());
    assertThat(driver.executeScript("return document.querySelector(arguments[0]).dataset.count",
        "#flow-list li[data-origin='620100'][data-district='" + c.district() + "']")).isEqualTo("2");
    assertThat(driver.findElement(By.id("flow-list")).getText()).contains("兰州市 → 区 " + c.district() + " ×2");
    driver.executeScript("document.getElementById('map-card').scrollIntoView()");
    browser.screenshot("command-layers-phone.png");

    // by grid: the same order, the grids drawn as circles inside their districts
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("heat-level"))).selectByValue("GRID");
    wait.until(d -> d.findElements(By.cssSelector("#heat-list li[data-level='GRID'][data-code='" + eastGrid + "']")).size() == 1);
    Map<String, Object> westCell = grid(westGrid);
    Map<String, Object> eastCell = grid(eastGrid);
    assertThat(((Number) westCell.get("value")).intValue()).isEqualTo(2);
    assertThat(((Number) eastCell.get("value")).intValue()).isEqualTo(1);
    assertHotter(westCell, eastCell);
    assertThat(listed("heat-list", westGrid)).isEqualTo(westCell.get("swatch"));
    assertThat(driver.findElement(By.id("heat-list")).getText()).contains("幸福社区 " + westGrid + "（" + c.district() + "） ×2");
    driver.executeScript("document.getElementById('map-card').scrollIntoView()");
    browser.screenshot("command-layers-phone-grid.png");
    Map<?, ?> width = (Map<?, ?>) driver.executeScript("return {scroll: document.documentElement.scrollWidth, inner: window.innerWidth};");
    assertThat(((Number) width.get("scroll")).intValue()).as("nothing wider than the phone").isLessThanOrEqualTo(390);

    // a day slider moved back a week: the period holds neither positives nor arrivals of today
    driver.executeScript("""
        const s = document.getElementById('heat-span'); s.value = '1'; s.dispatchEvent(new Event('change'));
        const d = document.getElementById('heat-day'); d.value = '-7'; d.dispatchEvent(new Event('input'));""");
    wait.until(d -> d.findElements(By.cssSelector("#heat-list li[data-code='" + westGrid + "']")).isEmpty()
        && d.findElements(By.cssSelector("#flow-list li[data-origin='620100']")).isEmpty());
    driver.executeScript("""
        const d = document.getElementById('heat-day'); d.value = '0'; d.dispatchEvent(new Event('input'));""");
    wait.until(d -> d.findElements(By.cssSelector("#heat-list li[data-code='" + westGrid + "']")).size() == 1);

    // ---- the wall
    browser.resize(1920, 1080);
    wait.until(d -> ((Number) ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return window.innerWidth")).intValue() == 1920);
    driver.executeScript("window.dispatchEvent(new Event('resize')); document.getElementById('map-card').scrollIntoView()");
    browser.screenshot("command-layers-wall.png");
  }

  /** Positives per grid (or district) on a day, through the heat API. */
  private Map<String, Integer> heat(Api official, String day, String by) {
    Map<String, Integer> out = new HashMap<>();
    for (JsonNode cell : ok(official.get("/api/v1/dashboard/heat?by=" + by + "&from=" + day + "&to=" + day), 200).json()) {
      out.merge(by.equals("GRID") ? cell.path("gridCode").asString() : cell.path("districtCode").asString(), cell.path("positives").asInt(), Integer::sum);
    }
    return out;
  }

  /** A district's value and the colour ECharts' visualMap gave it, with the scale's max. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> district(String code) {
    return (Map<String, Object>) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
        const s = c.getModel().getSeriesByName('heat-districts')[0];
        const data = s.getData();
        for (let i = 0; i < data.count(); i++) {
          if (data.getRawDataItem(i).code === arguments[0]) {
            const max = c.getOption().visualMap[0].max;
            return {value: data.getRawDataItem(i).value, fill: data.getItemVisual(i, 'style').fill, max,
              swatch: EpiloopMap.heatColour(data.getRawDataItem(i).value, max)};
          }
        }
        return null;""", code);
  }

  /** A grid's circle: its value and the colour ECharts' visualMap gave it. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> grid(String code) {
    return (Map<String, Object>) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
        const s = c.getModel().getSeriesByName('heat-grids')[0];
        const data = s.getData();
        for (let i = 0; i < data.count(); i++) {
          if (data.getName(i) === arguments[0]) {
            const max = c.getOption().visualMap[0].max;
            const v = data.getRawDataItem(i).value[2];
            return {value: v, fill: data.getItemVisual(i, 'style').fill, max, swatch: EpiloopMap.heatColour(v, max)};
          }
        }
        return null;""", code);
  }

  /** A flow line into a district and its origin's label, as drawn. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> flow(String origin) {
    return (Map<String, Object>) driver.executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('chart-map'));
        const o = c.getOption();
        const lines = o.series.find((s) => s.name === 'flows').data.filter((l) => l.origin === arguments[0]);
        const point = o.series.find((s) => s.name === 'flow-origins').data.find((p) => p.name === arguments[0]);
        const f = o.series.find((s) => s.name === 'flow-origins').label.formatter;
        const box = o.geo[0].boundingCoords;
        const [start, end] = lines[0].coords;
        // on the edge: within the frame, in its outer tenth on one side
        const fx = (start[0] - box[0][0]) / (box[1][0] - box[0][0]);
        const fy = (start[1] - box[1][1]) / (box[0][1] - box[1][1]);
        const onEdge = fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1 && (fx < 0.1 || fx > 0.9 || fy < 0.1 || fy > 0.9);
        return {district: lines[0].districtCode, count: lines.reduce((n, l) => n + l.value, 0), start, end, onEdge,
          label: f({data: point, value: point.value})};""", origin);
  }

  /** The swatch colour of a place in a legend list. */
  private String listed(String list, String code) {
    return (String) driver.executeScript("const li = document.querySelector('#' + arguments[0] + ' li[data-code=\"' + arguments[1] + '\"]');"
        + " return li ? li.dataset.colour : null;", list, code);
  }

  /**
   * The hotter place got the colour further along the ramp: ECharts' own colour for each equals
   * the ramp at its value over the scale's max (to a unit of rounding), and the two differ.
   */
  private static void assertHotter(Map<String, Object> hot, Map<String, Object> cool) {
    for (Map<String, Object> p : List.of(hot, cool)) {
      int[] drawn = rgb((String) p.get("fill"));
      int[] ramp = rgb((String) p.get("swatch"));
      for (int k = 0; k < 3; k++) {
        assertThat(Math.abs(drawn[k] - ramp[k])).as(p + " channel " + k).isLessThanOrEqualTo(1);
      }
    }
    assertThat(((Number) hot.get("value")).doubleValue()).isGreaterThan(((Number) cool.get("value")).doubleValue());
    assertThat(rgb((String) hot.get("fill"))).isNotEqualTo(rgb((String) cool.get("fill")));
  }

  private static int[] rgb(String colour) {
    String[] parts = colour.replaceAll("[^0-9.,]", "").split(",");
    return new int[] {(int) Math.round(Double.parseDouble(parts[0])), (int) Math.round(Double.parseDouble(parts[1])),
        (int) Math.round(Double.parseDouble(parts[2]))};
  }
}
