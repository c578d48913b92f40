package org.epiloop.feverclinic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Fever clinics in Chromium (issue 18 item 4): an official has the monitoring screen open on a
 * wide screen; a nurse reports a visit on the hospital's phone-size page with a scanner; the
 * official's screen shows it without a reload, flagged for its risk-area arrival.
 */
class FeverClinicPagesBrowserTest extends BrowserTest {

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  @Test
  void anOfficialSeesTheFeverClinicScreenUpdateWhenAHospitalReportsAVisit() throws Exception {
    clock.reset();
    clock.advance(Duration.between(clock.instant(),
        LocalDate.now(ZoneOffset.UTC).plusDays(82).atTime(2, 5).toInstant(ZoneOffset.UTC))); // a day no other test uses
    Corner c = corner();
    String hospital = unique("H");
    ok(admin().post("/api/v1/hospitals", Api.obj("code", hospital, "name", "市第一人民医院", "districtCode", c.district())), 201);
    String nurse = unique("fever-page").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", nurse, "password", PASSWORD, "role", "HOSPITAL", "hospitalCode", hospital)), 201);
    String official = unique("fever-official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    // the visitor declared an arrival from a high-risk area yesterday
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));
    String region = "43" + (1000 + (int) (Math.random() * 8999));
    ok(api().as(token(official, PASSWORD)).post("/api/v1/risk-areas", Api.obj("regionCode", region, "name", "高风险 页面区", "level", "HIGH",
        "from", today.minusDays(5).toString())), 201);
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "网格 " + grid, "districtCode", c.district())), 201);
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String idNumber = Ids.next();
    String person = Residents.addNewPerson(resident, admin(), idNumber, "张来客", c.district());
    ok(resident.post("/api/v1/resident/persons/" + person + "/declarations", Api.obj("gridCode", grid, "fromRegion", region,
        "arrivedAt", OffsetDateTime.ofInstant(clock.instant().minus(Duration.ofDays(1)), ZoneOffset.UTC).toString(), "transport", "FLIGHT")), 201);

    try (Browser screen = Browser.start(1280, 900)) {
      ChromeDriver wall = screen.driver();
      WebDriverWait wallWait = screen.await();
      wall.get("http://localhost:" + port + "/fever-monitor");
      wallWait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
      wall.findElement(By.id("password")).sendKeys(PASSWORD);
      wall.findElement(By.id("login")).click();
      By row = By.id("hospital-" + hospital);
      // the screen redraws its rows on every poll: read them afresh each time
      By visits = By.cssSelector("#hospital-" + hospital + " .visits");
      wallWait.ignoring(StaleElementReferenceException.class);
      wallWait.until(visibilityOfElementLocated(row));
      wallWait.until(d -> "0".equals(d.findElement(visits).getText()));
      screen.screenshotFullPage("fever-monitor-before.png");

      // the nurse's phone: log in, scan the ID card, type the name and temperature, tick fever
      driver.get("http://localhost:" + port + "/fever-clinic");
      wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(nurse);
      driver.findElement(By.id("password")).sendKeys(PASSWORD);
      driver.findElement(By.id("login")).click();
      wait.until(visibilityOfElementLocated(By.id("visit-form")));
      browser.scanInto("v-idnumber", idNumber);
      browser.awaitFocus("v-name");
      driver.findElement(By.id("v-name")).sendKeys("张来客");
      driver.findElement(By.id("v-temp")).sendKeys("38.7");
      driver.findElement(By.id("sym-FEVER")).click();
      driver.findElement(By.id("sym-COUGH")).click();
      browser.screenshotFullPage("fever-clinic-form-phone.png");
      driver.findElement(By.id("v-submit")).click();
      wait.until(textToBePresentInElementLocated(By.id("message-text"), "已登记"));
      // untested: the visit waits in the hospital's test queue
      wait.until(textToBePresentInElementLocated(By.id("queue"), "张*客"));
      browser.screenshotFullPage("fever-clinic-queue-phone.png");

      // the wall screen updates by itself
      wallWait.withTimeout(Duration.ofSeconds(30)).until(d -> "1".equals(d.findElement(visits).getText()));
      wallWait.until(textToBePresentInElementLocated(By.id("flagged"), "张*客"));
      wallWait.until(d -> {
        String flagged = d.findElement(By.id("flagged")).getText();
        return flagged.contains("高风险 HIGH") && flagged.contains(region) && flagged.contains("38.7") && !flagged.contains("张来客")
            && "1".equals(d.findElement(By.id("flag-count")).getText());
      });
      screen.screenshotFullPage("fever-monitor-after.png");

      // the nurse records the test: it leaves the queue
      driver.findElement(By.cssSelector("#queue li button")).click();
      wait.until(textToBePresentInElementLocated(By.id("message-text"), "已记录采样"));
      wait.until(visibilityOfElementLocated(By.id("queue-empty")));
    }
  }
}
