package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.Select;

/**
 * The two public pages, as a resident without an account uses them (P1, S1): the result query
 * by document and name (no hint which of the two was wrong; the rate limit said in seconds), and
 * the nearest sampling sites with opening hours and how busy each was in the last hour.
 */
class PublicPagesBrowserTest extends BrowserTest {

  @Test
  void aResultQueryShowsMaskedResultsNeverSaysWhichFieldWasWrongAndSaysWhenToTryAgain() throws Exception {
    Corner c = corner();
    Flows.FilledTube tube = Flows.fillTube(c.collector(), unique("T"), 5);
    String id = tube.idNumbers().get(0);

    // one client address for the page and the test's own queries (localhost may be ::1 for one and 127.0.0.1 for the other)
    String base = "http://127.0.0.1:" + port;
    driver.get(base + "/");
    driver.findElement(By.id("link-query")).click();
    wait.until(visibilityOfElementLocated(By.id("query-form")));
    query(id, "王小明");
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "没有找到"));
    assertThat(browser.text("message-text")).contains("Check both");
    assertThat(driver.findElement(By.id("answer")).isDisplayed()).isFalse();

    String name = "测试0"; // Flows names the persons of a tube 测试0, 测试1, …
    query(id, name);
    wait.until(visibilityOfElementLocated(By.id("answer")));
    assertThat(browser.text("answer-id")).matches("3201\\*{10}[0-9X]{4}");
    assertThat(driver.findElement(By.cssSelector("#results li")).getDomAttribute("data-status")).isEqualTo("PENDING");
    assertThat(browser.text("results")).contains("检测中 PENDING").contains("混采 Pooled");
    browser.screenshotFullPage("query-phone.png");

    // the address asks too often: in a window of its own (days ahead), so other tests' queries are not refused
    clock.advance(Duration.ofDays(3));
    // and at the start of a limit window (a loaded machine once let the page's query fall into the next, empty one)
    clock.advanceToWindowStart(ResultsController.QUERIES.window());
    Api anonymous = new Api(base, null);
    Map<String, Object> body = Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "某人");
    for (int i = 0; i < 500 && anonymous.post("/api/v1/results/query", body).status() != 429; i++) {
      // until the limit answers
    }
    query(id, name);
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "秒后再试"));
    assertThat(browser.text("message-text")).contains("try again in");
    assertThat(driver.findElement(By.id("query")).isEnabled()).isFalse();
    assertThat(browser.text("query")).contains("Try again in");
    browser.screenshot("query-rate-limited-phone.png");
  }

  @Test
  void theNearestSitesShowHoursAndHowBusyEachWas() throws Exception {
    Corner busy = corner(-33.86, 151.20);
    String quiet = unique("S");
    ok(admin().post("/api/v1/sites", Api.obj("code", quiet, "name", "悉尼 安静采样点", "districtCode", busy.district(),
        "latitude", -33.87, "longitude", 151.21, "openingHours", "08:00-20:00")), 201);
    Flows.fillTube(busy.collector(), unique("T"), 10);

    driver.get(api().base() + "/sites");
    // the phone shares its position when asked
    driver.executeCdpCommand("Browser.grantPermissions", Map.of("permissions", List.of("geolocation")));
    driver.executeCdpCommand("Emulation.setGeolocationOverride", Map.of("latitude", -33.86, "longitude", 151.20, "accuracy", 10));
    driver.findElement(By.id("locate")).click();
    wait.until(visibilityOfElementLocated(By.id("found")));
    var items = driver.findElements(By.cssSelector("#site-list li"));
    assertThat(items.get(0).getDomAttribute("data-code")).isEqualTo(busy.site());
    assertThat(items.get(0).getDomAttribute("data-busy")).isEqualTo("busy");
    assertThat(items.get(0).getText()).contains("近一小时 last hour: 10 人");
    assertThat(items.get(1).getDomAttribute("data-code")).isEqualTo(quiet);
    assertThat(items.get(1).getText()).contains("悉尼 安静采样点").contains("08:00-20:00").contains("Nobody sampled in the last hour");
    browser.screenshotFullPage("sites-phone.png");

    // coordinates typed in instead
    driver.findElement(By.cssSelector("#manual summary")).click();
    driver.findElement(By.id("lat")).sendKeys("-33.87");
    driver.findElement(By.id("lon")).sendKeys("151.21");
    driver.findElement(By.id("search")).click();
    wait.ignoring(StaleElementReferenceException.class)
        .until(d -> quiet.equals(d.findElement(By.cssSelector("#site-list li")).getDomAttribute("data-code")));
    driver.findElement(By.id("lat")).clear();
    driver.findElement(By.id("lat")).sendKeys("95");
    driver.findElement(By.id("search")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "坐标不正确"));
    assertThat(browser.text("message-field")).contains("纬度 Latitude");
  }

  private void query(String idNumber, String name) {
    new Select(driver.findElement(By.id("id-type"))).selectByValue("CN_ID");
    driver.findElement(By.id("id-number")).clear();
    driver.findElement(By.id("id-number")).sendKeys(idNumber);
    driver.findElement(By.id("name")).clear();
    driver.findElement(By.id("name")).sendKeys(name);
    driver.findElement(By.id("query")).click();
  }
}
