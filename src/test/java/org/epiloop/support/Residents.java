package org.epiloop.support;

import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** Logs a resident in through the real one-time-code flow, reading the code from the dev SMS outbox. */
public final class Residents {

  private static final Pattern CODE = Pattern.compile("(\\d{6})");

  private Residents() {}

  /** The latest code sent to the phone. */
  public static String lastCode(Api admin, String phone) {
    Api.Res box = admin.get("/api/v1/admin/sms-outbox?phone=" + phone);
    Matcher m = CODE.matcher(box.json().get(0).path("text").asString());
    if (!m.find()) {
      throw new AssertionError("no code in " + box);
    }
    return m.group(1);
  }

  /**
   * On the resident page (already open in the browser): logs in with the code texted to the
   * phone, read from the development gateway's outbox as the phone would receive it.
   */
  public static void loginOnPage(Browser browser, Api admin, String phone) {
    var driver = browser.driver();
    WebElement field = browser.await().until(visibilityOfElementLocated(By.id("phone")));
    field.sendKeys(phone);
    driver.findElement(By.id("send-code")).click();
    browser.await().until(visibilityOfElementLocated(By.id("otp")));
    driver.findElement(By.id("otp")).sendKeys(lastCode(admin, phone));
    driver.findElement(By.id("verify")).click();
    browser.await().until(visibilityOfElementLocated(By.id("home-panel")));
  }

  /** On the resident page, logged in: adds a person (mainland ID card) to the account. */
  public static void addPersonOnPage(Browser browser, String idNumber, String name, String districtCode) {
    var driver = browser.driver();
    int before = driver.findElements(By.cssSelector("#person-list .person")).size();
    if (!driver.findElement(By.id("add-panel")).isDisplayed()) {
      driver.findElement(By.id("add-person")).click();
    }
    WebElement number = browser.await().until(visibilityOfElementLocated(By.id("id-number")));
    new Select(driver.findElement(By.id("id-type"))).selectByValue("CN_ID");
    number.clear();
    number.sendKeys(idNumber);
    WebElement who = driver.findElement(By.id("person-name"));
    who.clear();
    who.sendKeys(name);
    browser.await().until(presenceOfElementLocated(By.cssSelector("#district option[value='" + districtCode + "']")));
    new Select(driver.findElement(By.id("district"))).selectByValue(districtCode);
    driver.findElement(By.id("add-person-submit")).click();
    browser.await().until(d -> d.findElements(By.cssSelector("#person-list .person")).size() == before + 1);
  }

  /** A logged-in resident client for a new phone. */
  public static Api login(Api anonymous, Api admin, String phone) {
    Api.Res sent = anonymous.post("/api/v1/resident/otp", Api.obj("phone", phone));
    if (sent.status() != 202) {
      throw new AssertionError("otp: " + sent);
    }
    Api.Res session = anonymous.post("/api/v1/resident/session", Api.obj("phone", phone, "code", lastCode(admin, phone)));
    if (session.status() != 200) {
      throw new AssertionError("session: " + session);
    }
    return anonymous.as(session.str("accessToken"));
  }
}
