package org.epiloop.officials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.Outbreaks;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Done-criterion (c) of issue 14, through the pages only (the API just sets the scene: a family
 * whose twelve members sat in a restaurant with the person who will be confirmed, a bystander,
 * and a single tube tested positive): an official on a phone confirms the case, pages through
 * its tracing list, marks a contact reached and exports the list, overrides a code (before and
 * after shown), changes a colour rule (old and new, and the history), and acknowledges and then
 * resolves the critical-result alert; the same desk on a desktop screen. And the command screen,
 * open on the wall with its alert poll cut off, shows a new CRITICAL_RESULT pushed by the server.
 * Screenshots: target/screenshots/official-*.png (phone 390×844, desktop 1366×900) and
 * command-centre-live-alert.png.
 */
class OfficialWorkbenchBrowserTest extends BrowserTest {

  private String officialName;

  private String official() {
    officialName = unique("official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", officialName, "password", PASSWORD, "role", "OFFICIAL")), 201);
    return officialName;
  }

  private void logIn(Browser b, String page, String username) {
    b.driver().get(api().base() + page);
    b.await().until(visibilityOfElementLocated(By.id("username"))).sendKeys(username);
    b.driver().findElement(By.id("password")).sendKeys(PASSWORD);
    b.driver().findElement(By.id("login")).click();
  }

  private WebElement byId(String id) {
    return driver.findElement(By.id(id));
  }

  private void type(String id, String text) {
    WebElement e = byId(id);
    e.clear();
    e.sendKeys(text);
  }

  private void tab(String name) {
    byId("tab-" + name).click();
    wait.until(attributeToBe(By.tagName("body"), "data-tab", name));
  }

  private List<WebElement> contactRows() {
    return driver.findElements(By.cssSelector("#contacts li[data-person-id]"));
  }

  @Test
  void anOfficialConfirmsACaseWorksItsTracingListOverridesACodeChangesARuleAndClosesAnAlert() throws IOException {
    Corner c = corner();
    Api manager = staff("VENUE_MANAGER", null, null);
    Outbreaks.Outbreak outbreak = Outbreaks.at(api(), admin(), manager, c.district(), 12);
    String bystanderId = Ids.next();
    Outbreaks.person(outbreak.family(), admin(), bystanderId, "路人乙", c.district());
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), staff("COURIER", null, null), staff("LAB_TECH", null, c.lab()), c.lab(),
        tube, unique("B"), unique("P"));
    ok(staff("LAB_REVIEWER", null, c.lab()).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    String username = official();
    String ruleBefore = ok(admin().get("/api/v1/health-codes/rules"), 200).json().path("settings").path("secondaryContactDays").asString();

    try {
      // ---- log in on a phone
      logIn(browser, "/official", username);
      wait.until(attributeToBe(By.tagName("body"), "data-ready", "true"));
      browser.screenshot("official-phone-person.png");

      // ---- confirm the case: twelve close contacts are found, the tracing list opens on page 1
      tab("cases");
      new Select(byId("confirm-idtype")).selectByValue("CN_ID");
      type("confirm-idnumber", outbreak.caseIdNumber());
      byId("confirm-submit").click();
      wait.until(attributeToBe(By.id("message"), "class", "message ok"));
      assertThat(byId("message-text").getText()).contains("12");
      wait.until(attributeToBe(By.id("tracing"), "data-page", "1"));
      wait.until(numberOfElementsToBe(By.cssSelector("#contacts li[data-person-id]"), 10));
      String caseId = byId("tracing").getAttribute("data-case-id");
      assertThat(driver.findElement(By.cssSelector("#cases li[data-case-id='" + caseId + "']")).getText()).contains("病*甲");
      List<String> firstPage = contactRows().stream().map(e -> e.getAttribute("data-person-id")).toList();
      assertThat(outbreak.contactIds()).containsAll(firstPage);
      String pageText = byId("contacts").getText();
      assertThat(pageText).contains(outbreak.venueName()).contains(outbreak.phone().substring(0, 3) + "****");
      outbreak.contactNames().forEach(n -> assertThat(pageText).doesNotContain(n));
      browser.screenshotFullPage("official-phone-tracing.png");

      // ---- page 2 holds the other two; back and forth
      byId("contacts-next").click();
      wait.until(attributeToBe(By.id("tracing"), "data-page", "2"));
      wait.until(numberOfElementsToBe(By.cssSelector("#contacts li[data-person-id]"), 2));
      List<String> secondPage = contactRows().stream().map(e -> e.getAttribute("data-person-id")).toList();
      assertThat(secondPage).doesNotContainAnyElementsOf(firstPage);
      assertThat(byId("contacts-next").isEnabled()).isFalse();

      // ---- mark a contact on page 2 reached; it stays reached when the page is read again
      String reached = secondPage.get(1);
      By reachedRow = By.cssSelector("#contacts li[data-person-id='" + reached + "']");
      driver.findElement(reachedRow).findElement(By.cssSelector("button.reach")).click();
      wait.until(attributeToBe(reachedRow, "data-reached", "true"));
      assertThat(driver.findElement(reachedRow).getText()).contains(username);
      byId("contacts-prev").click();
      wait.until(attributeToBe(By.id("tracing"), "data-page", "1"));
      byId("contacts-next").click();
      wait.until(attributeToBe(By.id("tracing"), "data-page", "2"));
      wait.until(attributeToBe(reachedRow, "data-reached", "true"));
      byId("contacts-export").click();
      wait.until(d -> byId("contacts-export").getAttribute("data-exported") != null);
      browser.screenshotFullPage("official-phone-tracing-page2.png");

      // ---- override a bystander's code: before and after on the page
      tab("person");
      type("lookup-idnumber", bystanderId);
      type("lookup-reason", "社区报告 community report");
      byId("lookup-submit").click();
      wait.until(attributeToBe(By.id("person-card"), "data-color", "GREEN"));
      assertThat(byId("person-name").getText()).isEqualTo("路*乙");
      new Select(byId("override-color")).selectByValue("RED");
      type("override-hours", "48");
      type("override-reason", "与病例同住 lives with the case");
      byId("override-submit").click();
      wait.until(attributeToBe(By.id("override-result"), "data-after", "RED"));
      assertThat(byId("override-result").getAttribute("data-before")).isEqualTo("GREEN");
      assertThat(byId("person-code").getText()).contains("红码");
      browser.screenshotFullPage("official-phone-override.png");

      // ---- change a rule: the old and the new value, and the history
      tab("rules");
      By row = By.cssSelector("#rules-table tr[data-setting='secondaryContactDays']");
      wait.until(presenceOfElementLocated(row));
      String newDays = "7".equals(ruleBefore) ? "10" : "7";
      WebElement days = driver.findElement(row).findElement(By.cssSelector(".rule-value"));
      days.clear();
      days.sendKeys(newDays);
      driver.findElement(row).findElement(By.cssSelector(".rule-save")).click();
      // the rules table and its history are drawn again after the save: a row read mid-draw is stale
      wait.ignoring(StaleElementReferenceException.class).until(attributeToBe(row, "data-value", newDays));
      // the history is drawn again after the save: read its newest row once it shows this change
      String change = ruleBefore + " 天 days → " + newDays + " 天 days";
      wait.until(d -> {
        WebElement latest = d.findElement(By.cssSelector("#rule-history tbody tr"));
        return "secondaryContactDays".equals(latest.getAttribute("data-setting")) && latest.getText().contains(change)
            && latest.getText().contains(username);
      });
      assertThat(byId("message-text").getText()).contains(ruleBefore).contains(newDays);
      browser.screenshotFullPage("official-phone-rules.png");

      // ---- the critical result: acknowledge with a note, then resolve; it leaves the list
      tab("alerts");
      By alert = By.cssSelector("#alerts li[data-kind='CRITICAL_RESULT'][data-subject='" + tube + "']");
      new WebDriverWait(driver, Duration.ofSeconds(30)).until(presenceOfElementLocated(alert));
      assertThat(driver.findElement(alert).getAttribute("data-state")).isEqualTo("OPEN");
      driver.findElement(alert).findElement(By.cssSelector(".alert-note")).sendKeys("流调组已出发 tracing team on the way");
      driver.findElement(alert).findElement(By.cssSelector(".alert-ack")).click();
      wait.until(attributeToBe(alert, "data-state", "ACKNOWLEDGED"));
      assertThat(driver.findElement(alert).getText()).contains(username).contains("tracing team");
      browser.screenshotFullPage("official-phone-alerts.png");
      driver.findElement(alert).findElement(By.cssSelector(".alert-note")).sendKeys("病例已转运 case transferred");
      wait.until(elementToBeClickable(driver.findElement(alert).findElement(By.cssSelector(".alert-resolve")))).click();
      wait.until(d -> d.findElements(alert).isEmpty());
      assertThat(jdbc.sql("select state from alerts where kind = 'CRITICAL_RESULT' and subject = ?").param(tube)
          .query(String.class).single()).isEqualTo("RESOLVED");

      // ---- the same desk on a desktop screen
      try (Browser desk = Browser.start(1366, 900)) {
        logIn(desk, "/official", username);
        desk.await().until(attributeToBe(By.tagName("body"), "data-ready", "true"));
        desk.driver().findElement(By.id("tab-cases")).click();
        desk.await().until(presenceOfElementLocated(By.cssSelector("#cases li[data-case-id='" + caseId + "']"))).click();
        desk.await().until(attributeToBe(By.id("tracing"), "data-page", "1"));
        desk.await().until(numberOfElementsToBe(By.cssSelector("#contacts li[data-person-id]"), 10));
        desk.await().until(textToBePresentInElementLocated(By.cssSelector("#cases li[data-case-id='" + caseId + "']"), "1/12"));
        desk.screenshot("official-desktop-cases.png");
        desk.driver().findElement(By.id("tab-person")).click();
        desk.driver().findElement(By.id("lookup-idnumber")).sendKeys(outbreak.contactIdNumbers().get(0));
        desk.driver().findElement(By.id("lookup-reason")).sendKeys("密接核实 checking a contact");
        desk.driver().findElement(By.id("lookup-submit")).click();
        desk.await().until(attributeToBe(By.id("person-card"), "data-color", "RED"));
        desk.screenshot("official-desktop-person.png");
        desk.driver().findElement(By.id("tab-rules")).click();
        desk.await().until(presenceOfElementLocated(By.cssSelector("#rule-history tbody tr[data-setting]")));
        desk.screenshot("official-desktop-rules.png");
      }
    } finally {
      ok(admin().put("/api/v1/health-codes/rules/secondaryContactDays", Map.of("value", ruleBefore)), 200);
    }
  }

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.phone();
  }

  @Test
  void aCriticalResultReachesTheOpenCommandScreenAtOnce() throws IOException {
    Corner c = corner();
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), staff("COURIER", null, null), staff("LAB_TECH", null, c.lab()), c.lab(),
        tube, unique("B"), unique("P"));
    String username = official();

    try (Browser wall = Browser.start(1366, 900)) {
      // the screen's poll of the alerts is cut off: whatever alert shows came through the stream
      // (a fetch of exactly that path fails as with no network; the event stream is not a fetch)
      wall.driver().executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
          const realFetch = window.fetch;
          window.fetch = function (input, init) { // cut off once the test sets window.cutAlertPoll
            const url = typeof input === 'string' ? input : input.url;
            if (window.cutAlertPoll && /\\/api\\/v1\\/dashboard\\/alerts(\\?|$)/.test(url)) return Promise.reject(new TypeError('cut off by the test'));
            return realFetch.apply(this, arguments);
          };"""));
      logIn(wall, "/command", username);
      wall.await().until(attributeToBe(By.tagName("body"), "data-stream", "open"));
      wall.await().until(presenceOfElementLocated(By.cssSelector("body[data-loaded]")));
      wall.driver().executeScript("window.cutAlertPoll = true");
      wall.await().until(visibilityOfElementLocated(By.id("problem")));

      ok(staff("LAB_REVIEWER", null, c.lab()).post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
      By pushed = By.cssSelector("#alerts li[data-kind='CRITICAL_RESULT'][data-subject='" + tube + "']");
      new WebDriverWait(wall.driver(), Duration.ofSeconds(15)).until(presenceOfElementLocated(pushed));
      assertThat(wall.driver().findElement(pushed).getAttribute("data-via")).isEqualTo("sse");
      assertThat(wall.driver().findElement(pushed).getText()).contains("危急值").contains(tube);
      WebElement banner = wall.driver().findElement(By.id("live-banner"));
      assertThat(banner.getText()).contains(tube);
      wall.screenshot("command-centre-live-alert.png");
      banner.click();
      wall.screenshot("command-centre-live-alert-list.png");
    }
  }
}
