package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The layout every page shares (templates/fragments.html with common.js): the header bar with
 * the language switch and the navigation of the logged-in role, and times in the city's zone.
 * On a phone (390 px), where the bar must still fit on the screen.
 */
class PageLayoutBrowserTest extends BrowserTest {

  private boolean barFits() {
    return (Boolean) driver.executeScript(
        "const h = document.querySelector('header.bar'); return h.scrollWidth <= document.documentElement.clientWidth;");
  }

  @Test
  void theLanguageSwitchHidesTheEnglishAndIsRememberedOnEveryPage() throws IOException {
    driver.get(api().base() + "/query");
    WebElement english = driver.findElement(By.cssSelector("#query-form .en"));
    assertThat(english.isDisplayed()).isTrue();
    assertThat(driver.findElement(By.id("lang")).getDomAttribute("aria-pressed")).isEqualTo("true");

    driver.findElement(By.id("lang")).click();
    wait.until(attributeToBe(By.id("lang"), "aria-pressed", "false"));
    assertThat(english.isDisplayed()).isFalse();
    assertThat(driver.findElement(By.id("query")).isDisplayed()).isTrue(); // the Chinese stays
    browser.screenshot("layout-chinese-only-phone.png");

    driver.get(api().base() + "/sites"); // another page remembers it
    wait.until(attributeToBe(By.id("lang"), "aria-pressed", "false"));
    assertThat(driver.findElements(By.cssSelector("main .en")).stream().noneMatch(WebElement::isDisplayed)).isTrue();

    driver.findElement(By.id("lang")).click();
    wait.until(attributeToBe(By.id("lang"), "aria-pressed", "true"));
    assertThat(driver.findElement(By.cssSelector("main .en")).isDisplayed()).isTrue();
  }

  @Test
  void theHeaderOffersTheRolesPagesAndTimesReadAsTheCitysClocks() throws IOException {
    Corner c = corner();
    String name = unique("col").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "COLLECTOR",
        "siteCode", c.site())), 201);

    driver.get(api().base() + "/track");
    assertThat(driver.findElement(By.id("nav")).isDisplayed()).isFalse(); // nobody logged in yet
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(name);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("nav")));

    List<String> links = driver.findElements(By.cssSelector("#nav a")).stream().map(a -> a.getDomAttribute("href")).toList();
    assertThat(links).containsExactly("/station", "/recalls", "/track", "/station/supplies");
    assertThat(driver.findElement(By.id("nav-track")).getDomAttribute("aria-current")).isEqualTo("page");
    assertThat(browser.text("role")).contains("采样员");
    assertThat(barFits()).isTrue();
    browser.screenshot("layout-collector-track-phone.png");

    // the server's zone (epiloop.zone, Asia/Shanghai) whatever zone the browser runs in; 24-hour
    assertThat(driver.findElement(By.cssSelector("meta[name='epiloop-zone']")).getDomAttribute("content"))
        .isEqualTo("Asia/Shanghai");
    assertThat(driver.executeScript("return Epiloop.hhmm('2026-03-01T15:30:00Z')")).isEqualTo("23:30");
    assertThat(driver.executeScript("return Epiloop.when('2026-03-01T16:05:00Z')")).isEqualTo("03/02 00:05");

    // each page keeps its own login: the link leads to the station's login form
    driver.findElement(By.id("nav-station")).click();
    wait.until(visibilityOfElementLocated(By.id("login-panel")));
    assertThat(barFits()).isTrue();
  }
}
