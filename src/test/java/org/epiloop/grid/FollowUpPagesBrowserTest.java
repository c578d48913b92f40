package org.epiloop.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * The pages of issue 18 on a phone (390 × 844): a resident declares an arrival and sees the code
 * turn yellow with the reason; a grid worker completes the task it made and keeps the diary of the
 * home observation; an official sets and ends a risk area.
 */
class FollowUpPagesBrowserTest extends BrowserTest {

  private static final ZoneId CITY = ZoneId.of("Asia/Shanghai");

  @Test
  void aResidentDeclaresAnArrivalAndSeesTheCodeTurnYellowWithTheReason() throws Exception {
    Corner c = corner();
    String county = county();
    ok(staff("OFFICIAL", null, null).post("/api/v1/risk-areas", Api.obj("regionCode", county, "name", "中风险 页面测试区",
        "level", "MEDIUM", "from", today().minusDays(3).toString())), 201);
    String grid = grid(c.district());
    String phone = Ids.phone();

    driver.get("http://localhost:" + port + "/resident");
    Residents.loginOnPage(browser, admin(), phone);
    Residents.addPersonOnPage(browser, admin(), phone, Ids.next(), "申报者", c.district());
    wait.until(visibilityOfElementLocated(By.id("to-declare"))).click();

    wait.until(visibilityOfElementLocated(By.id("declare-panel")));
    wait.until(d -> "GREEN".equals(d.findElement(By.id("code-card")).getDomAttribute("data-color")));
    wait.until(presenceOfElementLocated(By.cssSelector("#grid option[value='" + grid + "']")));
    new Select(driver.findElement(By.id("grid"))).selectByValue(grid);
    driver.findElement(By.id("has-arrival")).click();
    wait.until(visibilityOfElementLocated(By.id("from-region"))).sendKeys(county + "001");
    // the city's wall clock, two hours ago, as a datetime-local value
    String arrived = OffsetDateTime.now(clock.withZone(CITY)).minusHours(2).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
    driver.executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id("arrived-at")), arrived);
    new Select(driver.findElement(By.id("transport"))).selectByValue("TRAIN");
    browser.screenshotFullPage("declare-form-phone.png");
    driver.findElement(By.id("declare")).click();

    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已提交申报"));
    wait.until(d -> "YELLOW".equals(d.findElement(By.id("code-card")).getDomAttribute("data-color")));
    WebElement reason = driver.findElement(By.cssSelector("#code-reasons li[data-code='MEDIUM_RISK_ARRIVAL']"));
    assertThat(reason.getText()).contains("中风险 页面测试区").contains(county + "001").contains("one negative test");
    assertThat(browser.text("code-color")).contains("黄码");
    wait.until(textToBePresentInElementLocated(By.id("history"), county + "001"));
    browser.screenshot("declare-yellow-phone.png");
  }

  @Test
  void aGridWorkerCompletesTheTaskOnAPhoneAndKeepsTheHomeObservationDiary() throws Exception {
    Corner c = corner();
    String grid = grid(c.district());
    String worker = unique("grid-page").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", worker, "password", PASSWORD, "role", "GRID_WORKER", "gridCode", grid)), 201);
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String person = Residents.addPerson(resident, admin(),
        Api.obj("idType", "CN_ID", "idNumber", Ids.next(), "name", "王发热", "districtCode", c.district())).str("personId");
    String declaration = ok(resident.post("/api/v1/resident/persons/" + person + "/declarations",
        Api.obj("gridCode", grid, "symptoms", List.of("FEVER", "COUGH"), "onsetDate", today().toString())), 201).str("declarationId");

    driver.get("http://localhost:" + port + "/grid");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(worker);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("tasks-heading")));
    By item = By.cssSelector("#task-list li[data-declaration='" + declaration + "']");
    // the declaration's task arrives through an event: refresh until it is listed
    wait.until(d -> {
      if (d.findElements(item).isEmpty()) {
        if (d.findElement(By.id("refresh")).isDisplayed()) {
          d.findElement(By.id("refresh")).click();
        }
        return false;
      }
      return true;
    });
    assertThat(driver.findElement(item).getText()).contains("健康申报").contains("王*热").contains("FEVER");
    browser.screenshot("grid-tasks-phone.png");

    driver.findElement(item).click();
    wait.until(visibilityOfElementLocated(By.id("task-view")));
    assertThat(browser.text("task-phone")).contains(Residents.phoneOf(resident));
    assertThat(driver.findElement(By.id("task-phone")).getDomAttribute("href")).startsWith("tel:");
    driver.findElement(By.id("call-missed")).click();
    wait.until(textToBePresentInElementLocated(By.id("contact-list"), "未联系上"));
    driver.findElement(By.id("follow-note")).sendKeys("已上门，体温偏高");
    new Select(driver.findElement(By.id("observe-days"))).selectByValue("7");
    driver.findElement(By.id("visit-reached")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "任务完成"));
    assertThat(browser.text("task-due")).contains("已完成");
    browser.screenshotFullPage("grid-task-done-phone.png");

    // the home observation it opened: today's diary line, with a fever
    driver.findElement(By.id("back")).click();
    By home = By.cssSelector("#task-list li[data-kind='HOME_OBSERVATION']");
    wait.until(d -> !d.findElements(home).isEmpty());
    driver.findElement(home).click();
    wait.until(visibilityOfElementLocated(By.id("diary-form")));
    driver.findElement(By.id("diary-temp")).sendKeys("37.6");
    driver.findElement(By.cssSelector("#diary-symptoms input[value='FEVER']")).click();
    driver.findElement(By.id("diary-save")).click();
    wait.until(textToBePresentInElementLocated(By.id("diary-list"), "37.6"));
    assertThat(browser.text("diary-list")).contains("发热");
    browser.screenshot("grid-diary-phone.png");

    JsonNode done = ok(api().as(token(worker, PASSWORD)).get("/api/v1/grid/tasks?done=true"), 200).json();
    assertThat(done.toString()).contains(declaration);
  }

  @Test
  void anOfficialSetsAndEndsARiskArea() throws Exception {
    String official = unique("risk-official").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    String county = county();
    driver.get("http://localhost:" + port + "/risk-areas");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("area-form")));
    driver.findElement(By.id("area-code")).sendKeys(county);
    driver.findElement(By.id("area-name")).sendKeys("高风险 页面测试县");
    new Select(driver.findElement(By.id("area-level"))).selectByValue("HIGH");
    driver.executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id("area-from")), today().toString());
    driver.findElement(By.id("area-add")).click();
    wait.until(textToBePresentInElementLocated(By.id("area-rows"), county));
    WebElement row = driver.findElement(By.xpath("//tbody[@id='area-rows']/tr[td[1][text()='" + county + "']]"));
    assertThat(row.getText()).contains("高 HIGH").contains(official);
    browser.screenshotFullPage("risk-areas-phone.png");
    WebElement end = row.findElement(By.tagName("button"));
    end.click();
    end.click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已结束"));
    // ended with today as its last day: in force until midnight, not tomorrow
    Api official2 = staff("OFFICIAL", null, null);
    assertThat(ok(official2.get("/api/v1/risk-areas/level?regionCode=" + county), 200).str("level")).isEqualTo("HIGH");
    assertThat(ok(official2.get("/api/v1/risk-areas/level?regionCode=" + county + "&at=" + clock.instant().plus(java.time.Duration.ofDays(1))),
        200).json().path("level").isString()).isFalse();
    wait.until(textToBePresentInElementLocated(By.id("area-rows"), "结束 ended"));
    browser.screenshotFullPage("risk-areas-ended-phone.png");
  }

  private String grid(String district) {
    String grid = unique("G");
    ok(admin().post("/api/v1/grids", Api.obj("code", grid, "name", "幸福社区 " + grid.substring(2, 6), "districtCode", district)), 201);
    return grid;
  }

  private LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), CITY);
  }

  private static String county() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%02d%02d%02d", 11 + r.nextInt(80), 1 + r.nextInt(98), 1 + r.nextInt(98));
  }
}
