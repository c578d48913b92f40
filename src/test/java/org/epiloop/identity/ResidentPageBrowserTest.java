package org.epiloop.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Plates;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The resident page as a resident uses it on a phone, in a real (headless) Chromium against the
 * whole application on a real PostgreSQL: log in with the code texted to the phone (read from
 * the development SMS outbox), add a person, show a green health code, check in at a venue,
 * have the appointment code on the page sampled at a site and see the negative result, and —
 * as a close contact of a case — see the exposure, a red code and a refused check-in.
 *
 * <p>How the QR is checked: the page shows the image through an object URL, so the test draws
 * that very {@code <img>} onto a canvas inside the page and decodes the pixels with ZXing. The
 * page claims which token its QR holds ({@code data-token}); the decoded text must equal that
 * claim AND the token the API gives the same resident for that person at that moment (the
 * server keeps a person's token for its first minute, so "now" is well defined) — and the PNG
 * the API serves decodes to the same token. So the page can neither show a stale image nor
 * claim a token it does not show.
 */
class ResidentPageBrowserTest extends BrowserTest {

  /** Draws an <img> of the page onto a canvas: its token claim before and after, and its pixels as PNG. */
  private static final String SNAPSHOT = """
      const img = document.getElementById(arguments[0]);
      const done = arguments[arguments.length - 1];
      if (!img || img.hidden || !img.getAttribute('src')) { done(null); return; }
      const before = img.dataset.token || null;
      img.decode().then(() => {
        const c = document.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        c.getContext('2d').drawImage(img, 0, 0);
        done({ before, after: img.dataset.token || null, png: c.toDataURL('image/png'), width: img.getBoundingClientRect().width });
      }, () => done(null));
      """;

  @Test
  void residentShowsALiveGreenCodeChecksInAndSeesTheNegativeResultOfTheAppointmentCode() throws Exception {
    Corner c = corner();
    Api manager = staff("VENUE_MANAGER", null, null);
    String venueToken = ok(manager.post("/api/v1/venues", Api.obj("name", "滨江书店 Riverside Books", "districtCode", c.district(),
        "kind", "SHOP", "latitude", 33.96, "longitude", 118.27)), 201).str("venueToken");
    String phone = Ids.phone();

    // ---- log in from the landing page with the texted code; nobody on the account yet
    driver.get(api().base() + "/");
    driver.findElement(By.id("link-resident")).click();
    login(phone);
    wait.until(visibilityOfElementLocated(By.id("add-panel")));
    assertThat(browser.text("add-first")).contains("Add yourself first");
    js("window.epiloopNotReloaded = true");

    // ---- add oneself: the code is green, big, and holds exactly the token of this moment
    addPerson(Ids.next(), "林小满", c.district());
    assertThat(new Select(driver.findElement(By.id("relation"))).getFirstSelectedOption().getDomAttribute("value"))
        .as("the first person is oneself").isEqualTo("SELF");
    // the person is on the account only with the code texted for it: a wrong one first
    WebElement linkCode = wait.until(visibilityOfElementLocated(By.id("link-code")));
    assertThat(browser.text("link-sent")).contains("林小满");
    String code = linkCode(phone);
    linkCode.sendKeys(code.equals("123456") ? "654321" : "123456", Keys.ENTER);
    wait.until(attributeToBe(By.id("message"), "data-code", "LINK_CODE_INVALID"));
    assertThat(browser.text("message")).contains("验证码错误或已过期");
    assertThat(driver.findElements(By.cssSelector("#person-list .person"))).isEmpty();
    linkCode.clear();
    linkCode.sendKeys(code, Keys.ENTER);
    wait.until(attributeToBe(By.id("message"), "data-code", "PERSON_ADDED"));
    wait.until(invisibilityOfElementLocated(By.id("add-panel")));
    wait.until(attributeToBe(By.id("code-card"), "data-color", "GREEN"));
    wait.until(textToBe(By.id("code-name"), "林*满"));
    assertThat(browser.text("code-color")).isEqualTo("绿码 GREEN");
    ShownQr green = shownQr("code-qr");
    Api resident = residentApi();
    String person = selectedPerson();
    String apiToken = ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200).str("token");
    assertThat(green.decoded()).as("the QR's pixels hold the token the page claims").isEqualTo(green.token());
    assertThat(green.decoded()).as("... which is the person's token right now").isEqualTo(apiToken);
    assertThat(decode(ok(resident.get("/api/v1/resident/persons/" + person + "/health-code.png"), 200).bytes()))
        .as("the PNG the API serves holds it too").isEqualTo(apiToken);
    assertThat(green.width()).as("shown big").isGreaterThanOrEqualTo(250);
    assertThat(browser.text("code-countdown")).containsPattern("Valid for [0-3]:\\d\\d");
    assertThat(Integer.parseInt(driver.findElement(By.id("code-countdown")).getDomAttribute("data-seconds"))).isBetween(100, 181);
    assertThat(browser.text("last-test")).contains("none yet");
    assertThat(driver.findElement(By.cssSelector("#code-reasons li")).getDomAttribute("data-code")).isEqualTo("NO_RISK");
    wait.until(invisibilityOfElementLocated(By.id("message"))); // the "added" note gives way to the code
    assertFitsThePhone();
    browser.screenshot("resident.png");

    // ---- check in at a venue by typing its code (after two wrong ones)
    driver.findElement(By.id("tab-checkin")).click();
    WebElement field = wait.until(visibilityOfElementLocated(By.id("venue-token")));
    field.sendKeys("hello", Keys.ENTER);
    wait.until(attributeToBe(By.id("message"), "data-code", "NOT_VENUE_CODE"));
    assertThat(browser.text("message")).contains("这不是场所码").contains("Venue codes start with \"VN\"");
    field.clear();
    field.sendKeys("VN" + "A".repeat(31), Keys.ENTER);
    wait.until(attributeToBe(By.id("message"), "data-code", "INVALID_VENUE_TOKEN"));
    assertThat(browser.text("message")).contains("not a venue code of Epiloop");
    field.clear();
    field.sendKeys(venueToken, Keys.ENTER);
    wait.until(attributeToBe(By.id("checkin-result"), "data-admitted", "true"));
    assertThat(browser.text("checkin-verdict")).contains("ADMITTED").doesNotContain("NOT");
    assertThat(browser.text("checkin-venue")).isEqualTo("滨江书店 Riverside Books");
    assertThat(browser.text("checkin-color")).contains("GREEN");
    assertThat(browser.text("checkin-at")).contains("林*满");
    assertThat(driver.findElement(By.id("message")).isDisplayed()).isFalse();
    browser.screenshot("resident-checkin.png");
    assertThat(jdbc.sql("select count(*) from check_ins where person_id = ?::uuid").param(person).query(Long.class).single())
        .isEqualTo(1L);

    // ---- no overlap with any case
    driver.findElement(By.id("tab-exposures")).click();
    wait.until(visibilityOfElementLocated(By.id("exposures-none")));
    assertThat(browser.text("exposures-none")).contains("No overlap with a case");

    // ---- the appointment code on the page registers the person at a site in one scan
    driver.findElement(By.id("tab-testing")).click();
    wait.until(visibilityOfElementLocated(By.id("results-none")));
    String appointment = shownQr("appointment-qr").decoded();
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 1)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Map.of("appointmentCode", appointment)), 201);
    driver.findElement(By.id("results-refresh")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#results li[data-status='PENDING']")));
    assertThat(browser.text("results")).contains("not out yet").contains("Single tube");

    // ---- the lab finds it negative (released at once: all negative)
    String box = unique("B");
    Flows.ship(c.collector(), staff("COURIER", null, null), box, c.lab(), List.of(tube));
    Api tech = staff("LAB_TECH", null, c.lab());
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200);
    new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage("the negative result released").until(d -> "NEGATIVE".equals(
        ok(resident.get("/api/v1/resident/persons/" + person + "/results"), 200).json().path(0).path("status").asString()));
    driver.findElement(By.id("results-refresh")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#results li:first-child[data-status='NEGATIVE']")));
    assertThat(driver.findElements(By.cssSelector("#results li"))).hasSize(1);
    assertThat(browser.text("results")).contains("阴性 NEGATIVE").contains("No virus was found").contains(c.lab());
    assertFitsThePhone();
    browser.screenshotFullPage("resident-results.png");

    // ---- the code renews itself (no reload, no tap): a screenshot of the first one is stale now
    driver.findElement(By.id("tab-code")).click();
    new WebDriverWait(driver, Duration.ofSeconds(150)).withMessage("the code renews by itself within a minute or so")
        .until(d -> !green.token().equals(d.findElement(By.id("code-qr")).getDomAttribute("data-token"))
            && d.findElement(By.id("code-qr")).getDomAttribute("data-token") != null);
    wait.until(textToBePresentInElementLocated(By.id("last-test"), "阴性 NEGATIVE"));
    assertThat(browser.text("last-test")).contains("less than an hour ago");
    ShownQr renewed = shownQr("code-qr");
    assertThat(renewed.decoded()).isEqualTo(renewed.token()).isNotEqualTo(green.token());
    assertThat(renewed.decoded()).isEqualTo(ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200).str("token"));
    assertThat(js("return window.epiloopNotReloaded === true")).as("the page was not reloaded").isEqualTo(true);
    browser.screenshot("resident-renewed.png");
  }

  @Test
  void aCloseContactOfACaseSeesTheExposureARedCodeAndIsNotAdmitted() throws Exception {
    Corner c = corner();
    Api manager = staff("VENUE_MANAGER", null, null);
    String market = ok(manager.post("/api/v1/venues", Api.obj("name", "东关菜市场 East Gate Market", "districtCode", c.district(),
        "kind", "MARKET", "latitude", 33.96, "longitude", 118.27)), 201).str("venueToken");
    String phone = Ids.phone();

    // ---- a mistyped code, then the right one
    driver.get(api().base() + "/resident");
    wait.until(visibilityOfElementLocated(By.id("phone"))).sendKeys(phone, Keys.ENTER);
    wait.until(visibilityOfElementLocated(By.id("otp")));
    String code = Residents.lastCode(admin(), phone);
    driver.findElement(By.id("otp")).sendKeys(code.equals("123456") ? "654321" : "123456", Keys.ENTER);
    wait.until(textToBePresentInElementLocated(By.id("login-error"), "The code is wrong"));
    assertThat(browser.text("login-error")).contains("验证码错误或已过期");
    browser.screenshot("resident-login-error.png");
    WebElement otp = driver.findElement(By.id("otp"));
    otp.clear();
    otp.sendKeys(code, Keys.ENTER);
    wait.until(visibilityOfElementLocated(By.id("home-panel")));

    // ---- an ID number with a wrong check digit is refused in plain words
    String good = Ids.next();
    addPerson(good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0'), "赵小青", c.district());
    wait.until(attributeToBe(By.id("message"), "data-code", "INVALID_ID_NUMBER"));
    assertThat(browser.text("message")).contains("证件号码不正确").contains("The ID number is not valid");
    assertThat(browser.text("message-field")).contains("ID number");
    browser.screenshot("resident-add-error.png");
    addPerson(good, "赵小青", c.district());
    wait.until(visibilityOfElementLocated(By.id("link-code"))).sendKeys(linkCode(phone), Keys.ENTER);
    wait.until(attributeToBe(By.id("code-card"), "data-color", "GREEN"));
    String greenToken = shownQr("code-qr").token();
    String person = selectedPerson();

    // ---- at the market, then nothing to see yet
    driver.findElement(By.id("tab-checkin")).click();
    wait.until(visibilityOfElementLocated(By.id("venue-token"))).sendKeys(market, Keys.ENTER);
    wait.until(attributeToBe(By.id("checkin-result"), "data-admitted", "true"));
    driver.findElement(By.id("tab-exposures")).click();
    wait.until(visibilityOfElementLocated(By.id("exposures-none")));

    // ---- someone who was at the market at the same time is confirmed as a case
    Api other = Residents.login(api(), admin(), Ids.phone());
    String caseId = Ids.next();
    String casePerson = Residents.addPerson(other, admin(), Api.obj("idType", "CN_ID", "idNumber", caseId, "name", "病例甲",
        "districtCode", c.district())).str("personId");
    ok(other.post("/api/v1/resident/persons/" + casePerson + "/check-ins", Map.of("venueToken", market)), 200);
    ok(staff("OFFICIAL", null, null).post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", caseId,
        "confirmedAt", clock.instant().toString())), 201);
    Api resident = residentApi();
    new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage("the close contact turned red").until(d -> "RED".equals(ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200).str("color")));

    driver.findElement(By.id("exposures-refresh")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#exposures li[data-level='CLOSE']")));
    assertThat(browser.text("exposures")).contains("东关菜市场 East Gate Market").contains("密接 Close contact");
    assertThat(driver.findElement(By.id("exposures-none")).isDisplayed()).isFalse();
    wait.until(attributeToBe(By.id("message"), "data-code", "EXPOSED"));
    assertFitsThePhone();
    browser.screenshot("resident-exposure.png");

    // ---- the code turns red at once on refresh; the QR holds a new token
    driver.findElement(By.id("tab-code")).click();
    driver.findElement(By.id("code-refresh")).click();
    wait.until(attributeToBe(By.id("code-card"), "data-color", "RED"));
    wait.until(presenceOfElementLocated(By.cssSelector("#code-reasons li[data-code='CLOSE_CONTACT']")));
    assertThat(browser.text("code-color")).isEqualTo("红码 RED");
    ShownQr red = shownQr("code-qr");
    assertThat(red.decoded()).isEqualTo(red.token()).isNotEqualTo(greenToken);
    assertFitsThePhone();
    browser.screenshot("resident-red.png");

    // ---- and the market refuses the check-in, saying why
    driver.findElement(By.id("tab-checkin")).click();
    wait.until(visibilityOfElementLocated(By.id("venue-token"))).sendKeys(market, Keys.ENTER);
    wait.until(attributeToBe(By.id("checkin-result"), "data-admitted", "false"));
    assertThat(browser.text("checkin-verdict")).contains("NOT ADMITTED");
    assertThat(browser.text("checkin-color")).contains("RED");
    assertThat(browser.text("checkin-reason")).contains("RED");
    browser.screenshot("resident-denied.png");
  }

  // ------------------------------------------------------------------ what a person does

  private void login(String phone) {
    WebElement field = wait.until(visibilityOfElementLocated(By.id("phone")));
    field.sendKeys(phone);
    driver.findElement(By.id("send-code")).click();
    wait.until(visibilityOfElementLocated(By.id("otp")));
    assertThat(browser.text("code-sent")).contains(phone.substring(0, 3) + "****" + phone.substring(7));
    // the code goes out by SMS: here the development gateway's outbox, read by the admin
    driver.findElement(By.id("otp")).sendKeys(Residents.lastCode(admin(), phone));
    driver.findElement(By.id("verify")).click();
    wait.until(visibilityOfElementLocated(By.id("home-panel")));
    wait.until(textToBe(By.id("user-phone"), phone.substring(0, 3) + "****" + phone.substring(7)));
  }

  private void addPerson(String idNumber, String name, String district) {
    if (!driver.findElement(By.id("add-panel")).isDisplayed()) {
      driver.findElement(By.id("add-person")).click();
    }
    WebElement number = wait.until(visibilityOfElementLocated(By.id("id-number")));
    new Select(driver.findElement(By.id("id-type"))).selectByValue("CN_ID");
    number.clear();
    number.sendKeys(idNumber);
    WebElement who = driver.findElement(By.id("person-name"));
    who.clear();
    who.sendKeys(name);
    wait.until(presenceOfElementLocated(By.cssSelector("#district option[value='" + district + "']")));
    new Select(driver.findElement(By.id("district"))).selectByValue(district);
    driver.findElement(By.id("add-person-submit")).click();
  }

  /** The code texted for the link request the page is asking the code of. */
  private String linkCode(String phone) {
    String linkId = wait.until(d -> d.findElement(By.id("link-form")).getDomAttribute("data-link-id"));
    return Residents.linkCode(admin(), phone, linkId);
  }

  // ------------------------------------------------------------------ what the test reads

  private record ShownQr(String token, String decoded, double width) {}

  /** The QR the page shows in the <img> with this id, decoded from its pixels, with the token the page claims for it. */
  private ShownQr shownQr(String id) throws Exception {
    boolean claims = "code-qr".equals(id);
    return new WebDriverWait(driver, Duration.ofSeconds(20)).withMessage("a drawn QR in #" + id).until(d -> {
      Object r = ((JavascriptExecutor) d).executeAsyncScript(SNAPSHOT, id);
      if (!(r instanceof Map<?, ?> m) || m.get("png") == null) {
        return null;
      }
      // the page swapped the code while it was drawn, or has not claimed its token yet: again
      if (!Objects.equals(m.get("before"), m.get("after")) || (claims && m.get("before") == null)) {
        return null;
      }
      String png = (String) m.get("png");
      try {
        String decoded = decode(Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1)));
        return new ShownQr((String) m.get("before"), decoded, ((Number) m.get("width")).doubleValue());
      } catch (NotFoundException | IOException e) {
        return null; // drawn mid-swap (placeholder or half-loaded image): again
      }
    });
  }

  private static String decode(byte[] png) throws IOException, NotFoundException {
    var image = ImageIO.read(new ByteArrayInputStream(png));
    return new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image))),
        Map.of(DecodeHintType.TRY_HARDER, true)).getText();
  }

  /** An API client with the resident's own token, as the page keeps it. */
  private Api residentApi() {
    String token = (String) js("return JSON.parse(sessionStorage.getItem('epiloop.resident.session')).accessToken");
    return api().as(token);
  }

  /** Nothing sticks out sideways: a phone page scrolls only up and down. */
  private void assertFitsThePhone() {
    assertThat(js("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
        .as("no sideways scrolling").isEqualTo(true);
  }

  private String selectedPerson() {
    return driver.findElement(By.cssSelector("#person-list .person[aria-pressed='true']")).getDomAttribute("data-person-id");
  }

  private Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }
}
