package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.Duration;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An administrator sets up a corner of the city from the administration page alone (S1, X1):
 * a district and its outline (a wrong one refused naming its bad part, then one from a boundary
 * file), a site whose mistyped coordinate the map (over the district's outline) gives away, a lab, and a collector bound
 * to the new site, who then logs in at the collector station of that site; disabling the account
 * ends its session at once.
 */
class AdminPageBrowserTest extends BrowserTest {

  @Test
  void anAdministratorCreatesASiteAndACollectorWhoThenLogsInThere() throws Exception {
    // an existing site somewhere, so a new coordinate has neighbours to be compared with
    Corner existing = corner(32.05, 118.78);
    String district = unique("D");
    String site = unique("S");
    String lab = unique("L");
    String collector = unique("col").toLowerCase();

    // an administrator of the test's own (with its own second factor)
    String adminName = unique("adm").toLowerCase();
    String secret = totpSecret(ok(admin().post("/api/v1/admin/users",
        Api.obj("username", adminName, "password", PASSWORD, "role", "ADMIN")), 201).str("totpUri"));

    driver.get(api().base() + "/");
    driver.findElement(By.id("link-admin")).click();
    logInAsAdmin(driver, wait, adminName, secret);

    // ---- a district
    driver.findElement(By.id("tab-districts")).click();
    driver.findElement(By.id("district-code")).sendKeys(district);
    driver.findElement(By.id("district-name")).sendKeys("玄武区");
    driver.findElement(By.id("district-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "District created: 玄武区"));
    wait.until(d -> d.findElements(By.cssSelector("#district-list li[data-code='" + district + "']")).size() == 1);

    // ---- its outline for the map: a ring that does not close is refused naming the part; then a
    // boundary file with two districts, of which the page sends the one named like this district
    new Select(driver.findElement(By.id("outline-district"))).selectByValue(district);
    driver.findElement(By.id("outline-text")).sendKeys(
        "{\"type\":\"Polygon\",\"coordinates\":[[[118.7,32.0],[118.9,32.0],[118.9,32.1],[118.7,32.1]]]}");
    driver.findElement(By.id("outline-save")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-field"), "区轮廓 Outline (outline.coordinates[0])"));
    assertThat(browser.text("message-text")).contains("ends where it starts");
    java.nio.file.Path file = java.nio.file.Files.createTempFile("districts-", ".geojson");
    java.nio.file.Files.writeString(file, """
        {"type": "FeatureCollection", "features": [
          {"type": "Feature", "properties": {"name": "秦淮区"}, "geometry": {"type": "Polygon",
            "coordinates": [[[118.75, 31.98], [118.85, 31.98], [118.85, 32.03], [118.75, 32.03], [118.75, 31.98]]]}},
          {"type": "Feature", "properties": {"name": "玄武区"}, "geometry": {"type": "Polygon",
            "coordinates": [[[118.74, 32.03], [118.86, 32.03], [118.88, 32.10], [118.76, 32.11], [118.74, 32.03]]]}}]}
        """);
    new Select(driver.findElement(By.id("outline-district"))).selectByValue(district);
    driver.findElement(By.id("outline-text")).clear();
    driver.findElement(By.id("outline-file")).sendKeys(file.toAbsolutePath().toString());
    wait.until(d -> d.findElement(By.id("outline-text")).getDomProperty("value").contains("秦淮区"));
    driver.findElement(By.id("outline-save")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Outline saved: 玄武区 (" + district + ")"));
    wait.until(textToBePresentInElementLocated(By.cssSelector("#district-list li[data-code='" + district + "']"), "outline set"));
    java.nio.file.Files.delete(file);
    // the page sent the 玄武区 feature: its outline reaches to 32.11 N, the other one's does not
    tools.jackson.databind.JsonNode outlines = ok(admin().get("/api/v1/districts/outlines"), 200).json().path("features");
    tools.jackson.databind.JsonNode mine = null;
    for (tools.jackson.databind.JsonNode f : outlines) {
      if (f.path("id").asString().equals(district)) {
        mine = f;
      }
    }
    assertThat(mine).isNotNull();
    assertThat(mine.path("geometry").path("coordinates").get(0).get(3).get(1).asDouble()).isEqualTo(32.11);
    wait.until(d -> Boolean.TRUE.equals(((ChromeDriver) d).executeScript("""
        const c = echarts.getInstanceByDom(document.getElementById('district-map'));
        if (!c) return false;
        const map = echarts.getMap(c.getOption().geo[0].map);
        return map.geoJSON.features.some((f) => f.properties.code === arguments[0]);""", district)));
    browser.screenshotFullPage("admin-districts-phone.png");

    // ---- a site: latitude and longitude typed the wrong way round first
    driver.findElement(By.id("tab-sites")).click();
    driver.findElement(By.id("site-code")).sendKeys(site);
    new Select(driver.findElement(By.id("site-district"))).selectByValue(district);
    driver.findElement(By.id("site-name")).sendKeys("玄武湖采样点");
    driver.findElement(By.id("site-lat")).sendKeys("118.79");
    driver.findElement(By.id("site-lon")).sendKeys("32.06");
    driver.findElement(By.id("site-hours")).sendKeys("07:00-21:00");
    driver.findElement(By.id("site-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-field"), "纬度 Latitude"));
    driver.findElement(By.id("site-lat")).clear();
    driver.findElement(By.id("site-lat")).sendKeys("3.06");
    wait.until(attributeToBe(By.id("site-distance"), "data-far", "true"));
    assertThat(browser.text("site-distance")).contains("Far from all others");
    browser.screenshotFullPage("admin-site-far-phone.png");
    driver.findElement(By.id("site-lat")).clear();
    driver.findElement(By.id("site-lat")).sendKeys("32.06");
    driver.findElement(By.id("site-lon")).clear();
    driver.findElement(By.id("site-lon")).sendKeys("118.79");
    wait.until(attributeToBe(By.id("site-distance"), "data-far", "false"));
    assertThat(browser.text("site-distance")).contains("Nearest site: ").contains(existing.site()).contains("km");
    driver.findElement(By.id("site-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Site created: 玄武湖采样点"));
    WebElement listed = wait.until(visibilityOfElementLocated(By.cssSelector("#site-list li[data-code='" + site + "']")));
    assertThat(listed.getText()).contains("32.06000, 118.79000").contains("07:00-21:00");
    browser.screenshotFullPage("admin-sites-phone.png");

    // ---- a lab
    driver.findElement(By.id("tab-labs")).click();
    driver.findElement(By.id("lab-code")).sendKeys(lab);
    new Select(driver.findElement(By.id("lab-district"))).selectByValue(district);
    driver.findElement(By.id("lab-name")).sendKeys("玄武区疾控中心实验室");
    driver.findElement(By.id("lab-capacity")).sendKeys("30000");
    driver.findElement(By.id("lab-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Lab created"));
    assertThat(wait.until(visibilityOfElementLocated(By.cssSelector("#lab-list li[data-code='" + lab + "']"))).getText())
        .contains("30,000");

    // ---- a collector at the new site: the form offers the site from the list
    driver.findElement(By.id("tab-staff")).click();
    driver.findElement(By.id("user-name")).sendKeys(collector);
    new Select(driver.findElement(By.id("user-role"))).selectByValue("COLLECTOR");
    assertThat(driver.findElement(By.id("user-lab-row")).isDisplayed()).isFalse();
    new Select(driver.findElement(By.id("user-site"))).selectByValue(site);
    driver.findElement(By.id("user-password")).sendKeys("short");
    driver.findElement(By.id("user-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-field"), "密码 Password"));
    driver.findElement(By.id("user-password")).clear();
    driver.findElement(By.id("user-password")).sendKeys(PASSWORD);
    driver.findElement(By.id("user-create")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Account created: " + collector));
    WebElement account = wait.until(visibilityOfElementLocated(By.cssSelector("#user-list li[data-username='" + collector + "']")));
    assertThat(account.getText()).contains("采样员 Collector").contains(site);
    browser.screenshotFullPage("admin-staff-phone.png");

    // ---- the collector logs in at the station of that site
    try (Browser phone = Browser.phone()) {
      ChromeDriver station = phone.driver();
      station.get(api().base() + "/station");
      phone.await().until(visibilityOfElementLocated(By.id("username"))).sendKeys(collector);
      station.findElement(By.id("password")).sendKeys(PASSWORD);
      station.findElement(By.id("login")).click();
      phone.await().until(textToBe(By.id("site"), site));
      phone.screenshot("admin-new-collector-station-phone.png");
    }

    // ---- disabled: the collector's session ends at once
    Api asCollector = api().as(token(collector, PASSWORD));
    ok(asCollector.get("/api/v1/tubes"), 200);
    account.findElement(By.cssSelector("button[data-action='disable']")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Disabled " + collector));
    wait.until(attributeToBe(By.cssSelector("#user-list li[data-username='" + collector + "']"), "data-enabled", "false"));
    assertThat(asCollector.get("/api/v1/tubes").status()).isEqualTo(401);

    // ---- in the demo city the texts a resident would get are read here (the development gateway)
    String phone = Ids.phone();
    ok(api().post("/api/v1/resident/otp", Api.obj("phone", phone)), 202);
    driver.findElement(By.id("tab-texts")).click();
    driver.findElement(By.id("texts-phone")).sendKeys(phone);
    driver.findElement(By.id("texts-read")).click();
    wait.until(textToBePresentInElementLocated(By.id("text-list"), "Epiloop login code"));
    browser.screenshot("admin-texts-phone.png");

    // ---- the same page on a laptop
    try (Browser wide = Browser.start(1366, 900)) {
      wide.driver().get(api().base() + "/admin");
      clock.advance(Duration.ofSeconds(30)); // a one-time code is good once: the next time step's code
      logInAsAdmin(wide.driver(), wide.await(), adminName, secret);
      wide.await().until(visibilityOfElementLocated(By.cssSelector("#site-list li[data-code='" + site + "']")));
      wide.screenshot("admin-sites-desktop.png");
    }
  }

  /** Username and password, then the one-time code the page asks for. */
  private void logInAsAdmin(ChromeDriver d, WebDriverWait w, String name, String secret) {
    w.until(visibilityOfElementLocated(By.id("username"))).sendKeys(name);
    d.findElement(By.id("password")).sendKeys(PASSWORD);
    d.findElement(By.id("login")).click();
    w.until(visibilityOfElementLocated(By.id("totp"))).sendKeys(totp(secret));
    d.findElement(By.id("login")).click();
    w.until(textToBe(By.id("user"), name));
  }
}
