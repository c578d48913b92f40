package org.epiloop.support;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Debian Chromium for a page test, set up the same way for every page (the
 * collector station, the courier page, the lab bench) so the tests differ only in what a person
 * does: a fresh profile, an explicit chromedriver (Selenium Manager never downloads anything), a
 * fixed viewport, a 20 s explicit wait, and the few gestures all pages share — a keyboard-wedge
 * scan into whatever has focus, and screenshots under {@code target/screenshots}.
 *
 * <p>Without {@code apt-get install chromium chromium-driver} the test fails rather than skips,
 * so CI cannot silently lose it.
 */
public final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");

  private final ChromeDriverService service;
  private final ChromeDriver driver;
  private final WebDriverWait wait;
  private final Path profile;
  private int width;
  private int height;

  private Browser(ChromeDriverService service, ChromeDriver driver, Path profile, int width, int height) {
    this.service = service;
    this.driver = driver;
    this.profile = profile;
    this.width = width;
    this.height = height;
    this.wait = new WebDriverWait(driver, Duration.ofSeconds(20));
  }

  /** A phone-sized page (390 × 844), as the station and courier use. */
  public static Browser phone() throws IOException {
    return start(390, 844);
  }

  /** A browser whose page viewport is width × height CSS pixels. */
  public static Browser start(int width, int height) throws IOException {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      fail("Browser tests need Debian's Chromium at " + CHROMIUM + " and chromedriver at " + CHROMEDRIVER
          + ": apt-get install chromium chromium-driver");
    }
    Path profile = Files.createTempDirectory("epiloop-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--window-size=" + Math.max(420, width + 30) + "," + Math.max(900, height + 56),
        "--user-data-dir=" + profile);
    // An explicit driver executable: Selenium Manager is never asked to download anything.
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(new File("target/chromedriver.log"))
        .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    Browser browser = new Browser(service, driver, profile, width, height);
    // Chrome will not make a window narrower than 500 px; the emulated viewport can be.
    browser.viewport(height);
    return browser;
  }

  public ChromeDriver driver() {
    return driver;
  }

  /** The 20 s explicit wait. */
  public WebDriverWait await() {
    return wait;
  }

  /** Waits until the element with this id has the keyboard focus. */
  public void awaitFocus(String id) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage("focus on #" + id)
        .until(d -> id.equals(d.switchTo().activeElement().getDomAttribute("id")));
  }

  /** What a keyboard-wedge scanner does: types into whatever has focus and presses Enter. */
  public void scanInto(String id, String text) {
    awaitFocus(id);
    new Actions(driver).sendKeys(text).sendKeys(Keys.ENTER).perform();
  }

  /**
   * Clicks the element found by this locator, finding it again if a page's refresh replaced it
   * between finding and clicking (live screens redraw their rows every few seconds).
   */
  public void clickFresh(By locator) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage("click on " + locator)
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(d -> {
          d.findElement(locator).click();
          return true;
        });
  }

  /** The visible text of the element with this id. */
  public String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  /** A screenshot of the viewport, as target/screenshots/{name}. */
  public void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Files.write(SCREENSHOTS.resolve(name), driver.getScreenshotAs(OutputType.BYTES));
  }

  /** A screenshot of the whole page: the viewport grows to the page's height for the shot. */
  public void screenshotFullPage(String name) throws IOException {
    Number h = (Number) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
    viewport(Math.max(height, Math.min(h.intValue(), 6000)));
    try {
      screenshot(name);
    } finally {
      viewport(height);
    }
  }

  /**
   * A screenshot of the whole page as it lays out at another size (for instance a desktop's
   * 1280 × 800 in a test that runs at phone size), then back to this browser's size.
   */
  public void screenshotAt(String name, int w, int h) throws IOException {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", w, "height", h, "deviceScaleFactor", 1, "mobile", false));
    try {
      Number full = (Number) driver.executeScript("return Math.ceil(document.documentElement.scrollHeight)");
      driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
          Map.of("width", w, "height", Math.max(h, Math.min(full.intValue(), 6000)), "deviceScaleFactor", 1, "mobile", false));
      screenshot(name);
    } finally {
      viewport(height);
    }
  }

  /** The page laid out at another size from now on (a phone's page turned into the wall's), width × height CSS pixels. */
  public void resize(int w, int h) {
    width = w;
    height = h;
    viewport(h);
  }

  private void viewport(int h) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
        Map.of("width", width, "height", h, "deviceScaleFactor", 1, "mobile", false));
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      // best effort: a browser helper may still be removing its own files
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      } catch (IOException | UncheckedIOException e) {
        profile.toFile().deleteOnExit();
      }
    }
  }
}
