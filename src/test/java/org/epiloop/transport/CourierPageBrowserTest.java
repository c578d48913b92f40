package org.epiloop.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The courier page as a courier uses it, in a real (headless) Chromium against the whole
 * application on a real PostgreSQL: log in from the landing page, pick the lab, take a sealed
 * box by "scanning" it (keys typed into whatever has focus, then Enter — the test never clicks
 * the scan field, which proves the page keeps it focused), see it IN_TRANSIT with its tube
 * count and the age of its oldest sample, send a position by hand, and deliver it by scanning
 * it again. The chain of custody is then read from the database, so the page cannot fake it.
 */
class CourierPageBrowserTest extends BrowserTest {

  @Test
  void courierTakesASealedBoxReportsAPositionAndDeliversIt() throws IOException {
    Corner corner = corner();
    // the first tube was sampled 200 minutes ago, so the box is late (over 180 minutes)
    clock.advance(Duration.ofMinutes(-200));
    String early = Flows.fillTube(corner.collector(), unique("T"), 2).tubeCode();
    clock.reset();
    String late = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Api collector = corner.collector();
    ok(collector.post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    for (String t : List.of(early, late)) {
      ok(collector.post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", t)), 200);
    }
    ok(collector.post("/api/v1/boxes/" + box + "/seal", Map.of()), 200);
    String courier = user("COURIER");

    driver.get(api().base() + "/");
    driver.findElement(By.id("link-courier")).click();
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(courier);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), courier));

    // the destination lab, from the list of labs
    wait.until(presenceOfElementLocated(By.cssSelector("#lab option[value='" + corner.lab() + "']")));
    new Select(driver.findElement(By.id("lab"))).selectByValue(corner.lab());
    wait.until(textToBe(By.id("dest"), corner.lab()));

    // a label that is no box is refused in plain words
    browser.scanInto("scan", unique("B"));
    wait.until(attributeToBe(By.id("message"), "data-code", "BOX_NOT_FOUND"));
    assertThat(browser.text("message")).contains("No box with this code");

    // take the box: one scan
    browser.scanInto("scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "HANDED_OVER"));
    By item = By.cssSelector("#boxes li[data-box='" + box + "']");
    wait.until(textToBePresentInElementLocated(item, "2 管 tubes"));
    assertThat(driver.findElement(item).getText()).contains("IN_TRANSIT").contains("→ " + corner.lab());
    assertThat(browser.text("box-count")).isEqualTo("1");
    assertThat(driver.findElement(item).getDomAttribute("class")).as("over 180 minutes since the first sample").contains("late");
    assertThat(driver.findElement(item).findElement(By.className("age")).getText()).containsPattern("(199|20\\d) 分钟 min");

    // a reload keeps the login (this tab), the chosen lab and the carried box (this phone)
    driver.navigate().refresh();
    wait.until(textToBePresentInElementLocated(item, "2 管 tubes"));
    wait.until(textToBe(By.id("dest"), corner.lab()));
    assertThat(new Select(driver.findElement(By.id("lab"))).getFirstSelectedOption().getDomAttribute("value")).isEqualTo(corner.lab());

    // no GPS here: the position typed by hand
    driver.findElement(By.cssSelector("#manual-position summary")).click();
    browser.awaitFocus("latitude");
    driver.findElement(By.id("latitude")).sendKeys("33.9612");
    driver.findElement(By.id("longitude")).sendKeys("118.2745");
    driver.findElement(By.id("position-submit")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "LOCATION_SENT"));
    assertThat(browser.text("message")).contains("Position sent for 1 box");
    browser.awaitFocus("scan");
    browser.screenshotFullPage("courier.png");

    // at the lab door: the same box scanned again asks, and a deliberate tap delivers it
    // (a read within a few seconds of taking it would be a scanner's double read: scan until it asks)
    new WebDriverWait(driver, Duration.ofSeconds(20)).pollingEvery(Duration.ofSeconds(1)).withMessage("the delivery question")
        .until(d -> {
          if (d.findElement(By.id("arrive-confirm")).isDisplayed()) {
            return true;
          }
          browser.scanInto("scan", box);
          return false;
        });
    assertThat(browser.text("arrive-what")).contains(box).contains(corner.lab());
    assertThat(jdbc.sql("select status from box_trips where box_code = ?").param(box).query(String.class).single())
        .as("a scan alone is not an arrival").isEqualTo("IN_TRANSIT");
    driver.findElement(By.id("arrive-yes")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "ARRIVED"));
    wait.until(numberOfElementsToBe(item, 0));
    assertThat(browser.text("box-count")).isEqualTo("0");
    wait.until(presenceOfElementLocated(By.cssSelector("#delivered li[data-box='" + box + "']")));
    browser.screenshotFullPage("courier-delivered.png");

    record Event(String type, String actor, Double latitude, Double longitude) {}
    List<Event> events = jdbc.sql("""
            select e.type, e.actor, e.latitude, e.longitude from box_events e join box_trips t on t.id = e.trip_id
            where t.box_code = ? order by e.id""").param(box)
        .query((rs, i) -> new Event(rs.getString(1), rs.getString(2), (Double) rs.getObject(3), (Double) rs.getObject(4)))
        .list();
    assertThat(events).extracting(Event::type).containsExactly("OPENED", "SEALED", "HANDED_OVER", "LOCATION", "ARRIVED");
    assertThat(events.subList(2, 5)).extracting(Event::actor).containsOnly(courier);
    assertThat(events.get(3).latitude()).isEqualTo(33.9612);
    assertThat(events.get(3).longitude()).isEqualTo(118.2745);
    assertThat(jdbc.sql("select status || ' ' || lab_code from box_trips where box_code = ?").param(box)
        .query(String.class).single()).isEqualTo("ARRIVED " + corner.lab());
  }

  @Test
  void arrivedByTapTakesTwoTaps() {
    Corner corner = corner();
    String tube = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    ok(corner.collector().post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    ok(corner.collector().post("/api/v1/boxes/" + box + "/tubes", Map.of("tubeCode", tube)), 200);
    ok(corner.collector().post("/api/v1/boxes/" + box + "/seal", Map.of()), 200);
    String courier = user("COURIER");

    driver.get(api().base() + "/courier");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(courier);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#lab option[value='" + corner.lab() + "']")));
    // without a lab chosen, a scan is refused and nothing is taken
    browser.scanInto("scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "NO_LAB"));
    new Select(driver.findElement(By.id("lab"))).selectByValue(corner.lab());
    browser.scanInto("scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "HANDED_OVER"));
    // the scanner reads the label a second time at once: taken, not delivered
    browser.scanInto("scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "DOUBLE_READ"));
    assertThat(driver.findElement(By.id("arrive-confirm")).isDisplayed()).isFalse();
    By arrive = By.cssSelector("#boxes li[data-box='" + box + "'] .arrive");
    wait.until(elementToBeClickable(arrive)).click();
    wait.until(textToBePresentInElementLocated(arrive, "Tap again"));
    assertThat(jdbc.sql("select status from box_trips where box_code = ?").param(box).query(String.class).single())
        .isEqualTo("IN_TRANSIT");
    driver.findElement(arrive).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "ARRIVED"));
    wait.until(numberOfElementsToBe(By.cssSelector("#boxes li[data-box]"), 0));
    browser.awaitFocus("scan");
    assertThat(jdbc.sql("select status from box_trips where box_code = ?").param(box).query(String.class).single())
        .isEqualTo("ARRIVED");
  }

  /** A staff user whose username and password the test knows. */
  private String user(String role) {
    String name = unique(role.toLowerCase()).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role)), 201);
    return name;
  }
}
