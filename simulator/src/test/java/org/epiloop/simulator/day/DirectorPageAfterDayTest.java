package org.epiloop.simulator.day;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.api.SecondFactor;
import org.epiloop.simulator.env.SensorGateway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue 17's done-criterion for the lab director's page: the packaged Epiloop (the project's
 * {@code target/epiloop.jar}, built before the simulator in {@code mvn verify}) runs in a JVM of
 * its own on an embedded PostgreSQL; a small simulated day runs against it with QC drift, kit
 * consumption and sensor readings; then a freezer-like excursion comes through the day's gateway,
 * and the director's page in Debian's Chromium is read: the Levey–Jennings chart's points and the
 * alert lists must be what the API says, and the chart must show the drift the day put in.
 */
class DirectorPageAfterDayTest {

  private static final String ADMIN_PASSWORD = "director-day-admin-pw";
  private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private Process server;
  private String url;
  private Path dataDir;
  private ChromeDriver driver;
  private ChromeDriverService service;

  @BeforeEach
  void startEpiloop() throws IOException {
    Path jar = Path.of(System.getProperty("epiloop.jar", "../target/epiloop.jar"));
    if (!Files.isRegularFile(jar)) {
      fail("This test runs the packaged Epiloop at " + jar.toAbsolutePath() + ": `mvn package -DskipTests` in the project first "
          + "(mvn verify packages it before it builds the simulator), or -Depiloop.jar=…");
    }
    dataDir = Files.createTempDirectory("epiloop-director-day-");
    int port = freePort();
    Path log = Path.of("target", "director-day-server.log");
    Files.createDirectories(log.getParent());
    server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx640m", "-XX:+UseSerialGC",
        "-jar", jar.toString(), "--server.port=" + port, "--epiloop.data-dir=" + dataDir, "--epiloop.demo=false",
        "--epiloop.admin-password=" + ADMIN_PASSWORD, "--epiloop.admin-totp-secret=" + TOTP_SECRET, "--epiloop.sms.gateway=dev",
        "--logging.level.root=WARN")
        .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .start();
    String base = "http://localhost:" + port;
    HttpClient http = HttpClient.newHttpClient();
    await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(500)).until(() -> {
      if (!server.isAlive()) {
        throw new AssertionError("Epiloop exited with " + server.exitValue() + "; see " + log.toAbsolutePath());
      }
      try {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health/readiness")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      }
    });
    url = base;
  }

  @AfterEach
  void stop() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (service != null) {
      service.stop();
    }
    if (server != null) {
      server.destroy();
      if (!server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    }
    if (dataDir != null) {
      try (var files = Files.walk(dataDir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void theDirectorReadsTheDaysLeveyJenningsPointsAndAlerts() throws Exception {
    DayOptions o = new DayOptions();
    o.url = url;
    o.adminPassword = ADMIN_PASSWORD;
    SecondFactor.useAdminSecret(TOTP_SECRET);
    o.persons = 400;
    o.sites = 2;
    o.labs = 1;
    o.collectorsPerSite = 1;
    o.couriers = 2;
    o.labTechs = 1;
    o.prevalence = 0.01;
    o.declarationRate = 0;
    o.boxSize = 20;
    o.boxWaitMillis = 1000;
    o.plateWaitMillis = 1000;
    // a steep drift: each run's positive control moves a whole SD, so the lab meets a rejection within a few runs
    o.qcDrift = 1.0;
    o.sensorReadingsPerSecond = 200;
    o.sensorDevices = 5;
    o.maxMinutes = 10;
    o.settleSeconds = 300;
    o.quiet = true;
    CityDay day = new CityDay(o);
    CityDay.Result result = day.run();
    assertTrue(result.passed(), "the day's invariants (kit stock among them) hold: " + result.markdown());

    City city = day.city;
    String lab = city.lab(0);
    EpiloopClient client = day.http.client();
    String director = city.directorOf(0);
    String token = client.login(director, city.staffPassword());

    // a sixth sensor of the day's room reports 31 °C for five minutes (the room's limit is 26 °C, grace 120 s): an excursion
    SensorGateway gateway = SensorGateway.setUp(client, city.adminToken, lab, o.sensorDevices + 1, 99);
    String hot = gateway.devices().get(o.sensorDevices);
    List<Map<String, Object>> readings = new ArrayList<>();
    Instant now = Instant.now();
    for (int s = 300; s >= 0; s -= 30) {
      readings.add(Map.of("device", hot, "measure", "TEMPERATURE", "at", now.minusSeconds(s).toString(), "value", 31.0));
    }
    ApiResponse sent = gateway.send(readings);
    assertEquals(200, sent.status(), "readings accepted: " + sent.detail());

    // what the API says the page must show
    String lot = client.get("/api/v1/labs/" + lab + "/qc/lots", token).body().get(0).get("lotNumber").asText();
    JsonNode chart = client.get("/api/v1/labs/" + lab + "/qc/chart?lot=" + lot + "&target=ORF1ab&limit=60", token).body();
    JsonNode points = chart.get("points");
    JsonNode flagged = client.get("/api/v1/labs/" + lab + "/qc/runs", token).body();
    JsonNode env = client.get("/api/v1/labs/" + lab + "/environment", token).body();
    assertTrue(points.size() >= 3, "the day plated several runs with a positive control: " + points.size());
    assertTrue(flagged.size() >= 1, "the drift broke a Westgard rule at least once");
    assertTrue(env.get("openIncidents").size() >= 1, "the hot sensor's excursion is open");

    driver = chromium();
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
    driver.get(o.url + "/lab/director");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(director);
    driver.findElement(By.id("password")).sendKeys(city.staffPassword(), Keys.ENTER);
    wait.until(ExpectedConditions.textToBe(By.id("lab-code"), lab));

    // the Levey–Jennings chart: every point of the API's chart, in order, with its broken rules
    try {
      wait.until(d -> pagePoints(d).size() == points.size());
    } catch (org.openqa.selenium.TimeoutException e) {
      screenshot("director-after-day-failed.png", 1200, 900);
      fail("the chart drew " + pagePoints(driver).size() + " points, the API has " + points.size() + "; summary: "
          + driver.findElement(By.id("lj-summary")).getText() + "; message: " + driver.findElement(By.cssSelector("body")).getText()
          .lines().limit(12).toList());
    }
    List<?> drawn = pagePoints(driver);
    int withRules = 0;
    for (int i = 0; i < points.size(); i++) {
      Map<?, ?> p = (Map<?, ?>) drawn.get(i);
      List<?> value = (List<?>) p.get("value");
      assertEquals(i + 1, ((Number) value.get(0)).intValue());
      assertEquals(points.get(i).get("ct").asDouble(), ((Number) value.get(1)).doubleValue(), 1e-9, "point " + (i + 1));
      List<String> rules = new ArrayList<>();
      points.get(i).get("rules").forEach(r -> rules.add(r.asText()));
      assertEquals(rules, p.get("rules"), "point " + (i + 1) + "'s rules");
      withRules += rules.isEmpty() ? 0 : 1;
    }
    assertTrue(withRules >= 1, "the drift shows on the chart as marked points");
    assertTrue(driver.findElement(By.id("lj-summary")).getText().contains(points.size() + " 点 points"));

    // the QC alert list: the flagged runs, newest first, rejections still open counted
    wait.until(d -> d.findElements(By.cssSelector("#qc-alerts li[data-run]")).size() == Math.min(20, flagged.size()));
    List<WebElement> qcItems = driver.findElements(By.cssSelector("#qc-alerts li[data-run]"));
    long rejected = 0;
    for (int i = 0; i < qcItems.size(); i++) {
      assertEquals(flagged.get(i).get("runId").asText(), qcItems.get(i).getDomAttribute("data-run"));
      assertEquals(flagged.get(i).get("status").asText(), qcItems.get(i).getDomAttribute("data-status"));
      rejected += "REJECTED".equals(flagged.get(i).get("status").asText()) ? 1 : 0;
    }
    assertEquals(String.valueOf(rejected), driver.findElement(By.id("qc-alert-count")).getText());

    // the environment alert list: the hot sensor's excursion, open, with its peak and the room's limit
    wait.until(d -> d.findElements(By.cssSelector("#env-alerts li.open[data-device='" + hot + "']")).size() == 1);
    assertEquals(String.valueOf(env.get("openIncidents").size()), driver.findElement(By.id("env-alert-count")).getText());
    String alert = driver.findElement(By.cssSelector("#env-alerts li.open[data-device='" + hot + "']")).getText();
    assertTrue(alert.contains(SensorGateway.ROOM + " / " + hot) && alert.contains("峰值 peak 31.0") && alert.contains("限值 limit 26.0")
        && alert.contains("未结束 ongoing"), alert);

    screenshot("director-after-day.png", 1200, 900);

    // an official reads the same lab's quality page city-wide: the lab from a list, the same points, no forms
    driver.findElement(By.id("logout")).click();
    driver.get(o.url + "/lab/quality?lab=" + lab);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(city.official.username());
    driver.findElement(By.id("password")).sendKeys(city.staffPassword(), Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lab-select")));
    assertEquals(lab, new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("lab-select"))).getFirstSelectedOption()
        .getDomAttribute("value"));
    wait.until(d -> pagePoints(d).size() == points.size());
    assertTrue(!driver.findElement(By.id("reagent-form")).isDisplayed() && !driver.findElement(By.id("stock-form")).isDisplayed(),
        "an official only reads");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reagents"), "KIT-"));
    screenshot("quality-official-after-day.png", 1200, 900);
  }

  private static List<?> pagePoints(org.openqa.selenium.WebDriver d) {
    Object r = ((ChromeDriver) d).executeScript("const c = window.echarts && echarts.getInstanceByDom(document.getElementById('lj-chart'));"
        + "const o = c && c.getOption();"
        + "if (!o || !o.series || !o.series.length || !o.series[0].data) return [];"
        + "return o.series[0].data.map((p) => ({ value: p.value, rules: p.rules }));");
    return r instanceof List<?> l ? l : List.of();
  }

  private ChromeDriver chromium() throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("This test needs Debian's Chromium at " + CHROMIUM + " and chromedriver at " + CHROMEDRIVER + ": apt-get install chromium chromium-driver");
    }
    Path profile = Files.createTempDirectory("epiloop-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1230,956",
        "--user-data-dir=" + profile);
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  /** The whole page at width × its height (at least h), as target/screenshots/{name}. */
  private void screenshot(String name, int w, int h) throws IOException {
    Number full = (Number) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", w, "height", Math.max(h, Math.min(full.intValue(), 6000)), "deviceScaleFactor", 1, "mobile", false));
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
