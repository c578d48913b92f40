package org.epiloop.support;

import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/**
 * Logs a resident in through the real one-time-code flow, reading the code from the dev SMS
 * outbox, and adds persons to their account through the real link flow (ADR 0014): the request,
 * the code texted to a phone, its confirmation.
 */
public final class Residents {

  private static final Pattern CODE = Pattern.compile("(\\d{6})");
  /** The phone each logged-in resident client belongs to, by its token. */
  private static final Map<String, String> PHONES = new ConcurrentHashMap<>();

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

  /**
   * On the resident page, logged in with {@code phone}: adds a person (mainland ID card) to the
   * account and types the code texted for the request (a person new to Epiloop: to that phone).
   */
  public static void addPersonOnPage(Browser browser, Api admin, String phone, String idNumber, String name, String districtCode) {
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
    WebElement code = browser.await().until(visibilityOfElementLocated(By.id("link-code")));
    String linkId = browser.await().until(d -> d.findElement(By.id("link-form")).getDomAttribute("data-link-id"));
    code.sendKeys(linkCode(admin, phone, linkId), Keys.ENTER);
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
    Api resident = anonymous.as(session.str("accessToken"));
    PHONES.put(resident.token(), phone);
    return resident;
  }

  /** The phone a resident client from {@link #login} belongs to. */
  public static String phoneOf(Api resident) {
    String phone = PHONES.get(resident.token());
    if (phone == null) {
      throw new AssertionError("not a resident logged in through Residents.login");
    }
    return phone;
  }

  /**
   * Adds a person to the resident's account and confirms the link with the code texted to the
   * account's own phone (a person new to Epiloop, or one registered on site with neither phone nor
   * holder): the confirmation's answer ({@code personId}, {@code confirmedBy}, …).
   */
  public static Api.Res addPerson(Api resident, Api admin, Object body) {
    Api.Res asked = resident.post("/api/v1/resident/persons", body);
    if (asked.status() != 202) {
      throw new AssertionError("add person: " + asked);
    }
    String linkId = asked.str("linkId");
    return confirm(resident, linkId, linkCode(admin, phoneOf(resident), linkId));
  }

  /** {@link #addPerson} for a person new to Epiloop: their id. */
  public static String addNewPerson(Api resident, Api admin, String idNumber, String name, String district) {
    return addPerson(resident, admin, Api.obj("idType", "CN_ID", "idNumber", idNumber, "name", name, "districtCode", district))
        .str("personId");
  }

  /** Confirms a link with a code; fails unless the answer is 200. */
  public static Api.Res confirm(Api resident, String linkId, String code) {
    Api.Res confirmed = resident.post("/api/v1/resident/persons/links/" + linkId + "/confirmation", Api.obj("code", code));
    if (confirmed.status() != 200) {
      throw new AssertionError("confirm link: " + confirmed);
    }
    return confirmed;
  }

  /** Waits for the text with the code of this link request to reach the phone (texts go out after the answer). */
  public static String linkCode(Api admin, String phone, String linkId) {
    return await().atMost(Duration.ofSeconds(20)).until(() -> linkCodeIfSent(admin, phone, linkId), c -> c != null);
  }

  /** The code of this link request in the phone's texts, or null when none came (yet). */
  public static String linkCodeIfSent(Api admin, String phone, String linkId) {
    String ref = "(ref " + linkId.substring(0, 6).toUpperCase() + ")";
    for (JsonNode m : admin.get("/api/v1/admin/sms-outbox?phone=" + phone + "&limit=50").json()) {
      String text = m.path("text").asString();
      if (text.contains(ref) && text.contains("code")) {
        Matcher c = Pattern.compile("code:? (\\d{6})").matcher(text);
        if (c.find()) {
          return c.group(1);
        }
      }
    }
    return null;
  }
}
