package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.oned.Code128Reader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
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
 * A testing day from the pages alone, in a real (headless) Chromium on a phone-sized screen
 * against the whole application on a real PostgreSQL. The API is used only to set up the
 * directory and the staff accounts, and to read the development SMS outbox as the phone would
 * receive the messages; everything a person does is done on their page: the resident registers,
 * the collector binds, packs and seals, the courier carries, the lab receives, plates, uploads
 * and — a different person — releases; the recall loop runs from the SMS to the closed recall.
 * Every page is photographed at phone and desktop size (target/screenshots/day-*.png).
 */
class TestingDayBrowserTest extends BrowserTest {

  /** Draws an <img> (the box label's SVG) onto a canvas at a scanner-friendly size and returns the PNG. */
  private static final String DRAW_LABEL = """
      const img = document.getElementById(arguments[0]);
      const done = arguments[arguments.length - 1];
      img.decode().then(() => {
        const c = document.createElement('canvas');
        c.width = 900; c.height = 220;
        const g = c.getContext('2d');
        g.fillStyle = '#fff'; g.fillRect(0, 0, c.width, c.height);
        g.drawImage(img, 0, 10, 900, 200);
        done(c.toDataURL('image/png'));
      }, () => done(null));
      """;

  record Staff(String collector, String courier, String tech, String reviewer, String official) {}

  record City(String district, String site, String siteName, String lab, Staff staff) {}

  // ------------------------------------------------------------------ (a) the loop

  @Test
  void aSampleGoesFromTheStationThroughTheCourierAndTheLabToTheResident() throws Exception {
    City city = city(null);
    String phone = Ids.phone();
    String residentId = Ids.next();

    // ---- the landing page leads everyone to their page; the resident registers on theirs
    driver.get(api().base() + "/");
    shots("day-home");
    driver.findElement(By.id("link-resident")).click();
    Residents.loginOnPage(browser, admin(), phone);
    Residents.addPersonOnPage(browser, admin(), phone, residentId, "周一鸣", city.district());

    // ---- the collector: the resident alone in a single tube, two walk-ins in a pool
    station(city.staff().collector(), city.site());
    String single = unique("T");
    String pool = unique("T");
    openTube(single, 1);
    scanPerson(residentId, "周一鸣", "SEALED");
    openTube(pool, 5);
    scanPerson(Ids.next(), "吴二", "BOUND");
    scanPerson(Ids.next(), "郑三", "BOUND");
    twoTaps(By.id("seal"));
    wait.until(attributeToBe(By.id("message"), "data-code", "SEALED"));
    shots("day-station-sampling");

    // ---- ... packs both into a box, seals it with its count and shows its label
    String box = unique("B");
    packBox(box, List.of(single, pool), city);
    assertThat(browser.text("label-count")).startsWith("2");
    shots("day-station-label");

    // ---- the courier sees it waiting at the site, carries it, and confirms the delivery
    carry(city, box);

    // ---- the lab: the box is coming, it is received, its tubes go on a plate, the export is uploaded
    labReceiveAndPlate(city, box, List.of(single, pool), Set.of(pool));
    wait.until(attributeToBe(By.id("message"), "data-code", "RESULTS_ENTERED"));
    shots("day-lab-plate");

    // ---- a reviewer (another person) opens the waiting run with a tap and releases it
    release(city);
    shots("day-lab-review");

    // ---- the resident sees the negative result
    driver.get(api().base() + "/resident");
    wait.until(elementToBeClickable(By.id("tab-testing"))).click();
    new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(2)).withMessage("the result on the resident page")
        .until(d -> {
          d.findElement(By.id("results-refresh")).click();
          return !d.findElements(By.cssSelector("#results li:first-child[data-status='NEGATIVE']")).isEmpty();
        });
    assertThat(browser.text("results")).contains("阴性 NEGATIVE").contains(city.lab());
    shots("day-resident-result");
  }

  // ------------------------------------------------------------------ (b) the recall loop

  @Test
  void aPositivePoolIsTextedListedRetestedInSingleTubesAndItsRecallsClose() throws Exception {
    City city = city("08:00–20:00");
    String phone = Ids.phone();
    String a = Ids.next();
    String b = Ids.next();
    String c = Ids.next();

    // ---- a family on the resident page: the holder and a child (no phone of the child's own)
    driver.get(api().base() + "/resident");
    Residents.loginOnPage(browser, admin(), phone);
    Residents.addPersonOnPage(browser, admin(), phone, a, "冯大海", city.district());
    Residents.addPersonOnPage(browser, admin(), phone, b, "冯小河", city.district());

    // ---- the three (and a walk-in without any phone) in one pool; packed, carried, found positive, released
    station(city.staff().collector(), city.site());
    String pool = unique("T");
    openTube(pool, 5);
    scanPerson(a, "冯大海", "BOUND");
    scanPerson(b, "冯小河", "BOUND");
    scanPerson(c, "陈路人", "BOUND");
    twoTaps(By.id("seal"));
    wait.until(attributeToBe(By.id("message"), "data-code", "SEALED"));
    String box = unique("B");
    packBox(box, List.of(pool), city);
    carry(city, box);
    labReceiveAndPlate(city, box, List.of(pool), Set.of(pool));
    wait.until(attributeToBe(By.id("message"), "data-code", "RESULTS_ENTERED"));
    release(city);

    // ---- the family's phone gets one text per member, naming the site and its hours
    new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(1)).withMessage("two recall texts")
        .until(d -> recallTexts(phone).size() == 2);
    assertThat(recallTexts(phone)).allSatisfy(t -> assertThat(t).contains(city.siteName()).contains("08:00–20:00")
        .contains("single-tube retest"));
    assertThat(String.join("\n", recallTexts(phone))).contains("冯*海").contains("冯*河");

    // ---- the official's recall page: three to retest, two texted, one with no phone
    driver.get(api().base() + "/recalls");
    login(city.staff().official());
    wait.until(presenceOfElementLocated(By.cssSelector("#district option[value='" + city.district() + "']")));
    new Select(driver.findElement(By.id("district"))).selectByValue(city.district());
    wait.until(presenceOfElementLocated(By.cssSelector("#site option[value='" + city.site() + "']")));
    new Select(driver.findElement(By.id("site"))).selectByValue(city.site());
    wait.until(textToBe(By.id("count-open"), "3"));
    assertThat(browser.text("count-notified")).isEqualTo("2");
    assertThat(driver.findElements(By.cssSelector("#open-list li[data-state='NOTIFIED']"))).hasSize(2);
    assertThat(driver.findElements(By.cssSelector("#open-list li[data-state='RECALLED']"))).hasSize(1);
    assertThat(browser.text("open-list")).contains("冯*海").contains("陈*人").contains("No phone").doesNotContain(a);
    shots("day-recalls-open");

    // ---- at the station: the recall list, and each recalled person scanned into a pool says RECALL and goes into a single tube
    station(city.staff().collector(), city.site());
    driver.findElement(By.id("tab-recalls")).click();
    wait.until(numberOfElementsToBe(By.cssSelector("#station-recalls li[data-state]"), 3));
    assertThat(browser.text("recall-count")).isEqualTo("3");
    assertThat(browser.text("station-recalls")).contains("冯*河");
    shots("day-station-recalls");
    driver.findElement(By.id("tab-sample")).click();
    String next = unique("T");
    openTube(next, 10);
    List<String> singles = List.of(unique("T"), unique("T"), unique("T"));
    Map<String, String> names = Map.of(a, "冯大海", b, "冯小河", c, "陈路人");
    List<String> persons = List.of(a, b, c);
    for (int i = 0; i < 3; i++) {
      browser.scanInto("scan", persons.get(i) + "," + names.get(persons.get(i)));
      wait.until(attributeToBe(By.id("message"), "data-code", "PERSON_RECALLED"));
      wait.until(visibilityOfElementLocated(By.id("recall-banner")));
      assertThat(browser.text("message")).contains("复检 RECALL").contains("single-tube retest");
      assertThat(browser.text("recall-banner")).contains("Scan a NEW tube");
      if (i == 0) {
        shots("day-station-recall-scan");
      }
      browser.scanInto("tube-code", singles.get(i));
      wait.until(attributeToBe(By.id("message"), "data-code", "RETESTED"));
      assertThat(browser.text("message")).contains(singles.get(i)).contains("SEALED");
      wait.until(textToBe(By.id("tube-label"), next)); // back to the pooled tube
    }
    assertThat(jdbc.sql("select count(*) from bindings b join tubes t on t.code = b.tube_code where b.tube_code = any(?) and t.capacity = 1 and b.repeat_confirmed")
        .param(singles.toArray(String[]::new)).query(Integer.class).single()).as("three single tubes, repeats confirmed").isEqualTo(3);
    assertThat(jdbc.sql("select bound_count from tubes where code = ?").param(next).query(Integer.class).single())
        .as("nobody recalled went into the pool").isZero();

    // ---- the retests travel and test negative (released by auto-review); the recalls close
    String box2 = unique("B");
    packBox(box2, singles, city);
    carry(city, box2);
    labReceiveAndPlate(city, box2, singles, Set.of());
    wait.until(attributeToBe(By.id("message"), "data-code", "RELEASED"));

    driver.get(api().base() + "/recalls");
    wait.until(visibilityOfElementLocated(By.id("recalls-panel")));
    new WebDriverWait(driver, Duration.ofSeconds(60)).pollingEvery(Duration.ofSeconds(2)).withMessage("the recalls closed")
        .until(d -> {
          d.findElement(By.id("refresh")).click();
          return "3".equals(d.findElement(By.id("count-closed")).getText()) && "0".equals(d.findElement(By.id("count-open")).getText());
        });
    assertThat(driver.findElements(By.cssSelector("#open-list li[data-state]"))).isEmpty();
    assertThat(driver.findElements(By.cssSelector("#closed-list li[data-state='CLOSED']"))).hasSize(3);
    shots("day-recalls-closed");

    // ---- where did the first retest go, and what happened to the holder (the official's search page)
    driver.get(api().base() + "/track");
    login(city.staff().official());
    browser.scanInto("where-code", singles.get(0));
    wait.until(attributeToBe(By.id("custody-now"), "data-event", "RELEASED"));
    assertThat(browser.text("custody-steps")).contains("Packed into box").contains("Delivered to lab").contains(city.lab());
    driver.findElement(By.id("person-number")).sendKeys(a);
    driver.findElement(By.id("person-reason")).sendKeys("复检闭环核对 recall check", Keys.ENTER);
    wait.until(numberOfElementsToBe(By.cssSelector("#history-samplings li[data-status]"), 2));
    assertThat(driver.findElement(By.cssSelector("#history-samplings li:first-child")).getDomAttribute("data-status")).isEqualTo("NEGATIVE");
    assertThat(browser.text("history-samplings")).contains("RECALLED");
    shots("day-track");
  }

  // ------------------------------------------------------------------ the city (set up through the API)

  private City city(String hours) {
    String district = unique("D");
    String site = unique("S");
    String lab = unique("L");
    String siteName = "东门采样点 " + site;
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "区 " + district)), 201);
    ok(admin().post("/api/v1/sites", Api.obj("code", site, "name", siteName, "districtCode", district, "latitude", 33.96,
        "longitude", 118.27, "openingHours", hours)), 201);
    ok(admin().post("/api/v1/labs", Api.obj("code", lab, "name", "Lab " + lab, "districtCode", district, "dailyCapacity", 5000)), 201);
    return new City(district, site, siteName, lab, new Staff(user("COLLECTOR", site, null), user("COURIER", null, null),
        user("LAB_TECH", null, lab), user("LAB_REVIEWER", null, lab), user("OFFICIAL", null, null)));
  }

  private String user(String role, String site, String lab) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role, "siteCode", site, "labCode", lab)), 201);
    return name;
  }

  // ------------------------------------------------------------------ what each person does on their page

  /** Any staff page: log out whoever is logged in on it, then log in. */
  private void login(String username) {
    List<WebElement> logout = driver.findElements(By.id("logout"));
    if (!logout.isEmpty() && logout.get(0).isDisplayed()) {
      logout.get(0).click();
    }
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("logout")));
  }

  private void station(String collector, String site) {
    driver.get(api().base() + "/station");
    login(collector);
    wait.until(textToBe(By.id("site"), site));
  }

  private void openTube(String code, int capacity) {
    driver.findElement(By.cssSelector("#capacity .cap[data-capacity='" + capacity + "']")).click();
    browser.scanInto("tube-code", code);
    wait.until(textToBe(By.id("tube-label"), code));
    browser.awaitFocus("scan");
  }

  /** An ID card read by the scanner: number and name. */
  private void scanPerson(String idNumber, String name, String expected) {
    browser.scanInto("scan", idNumber + "," + name);
    // the answer to this scan, not the one before (same code): it names this person
    wait.until(d -> expected.equals(d.findElement(By.id("message")).getDomAttribute("data-code"))
        && d.findElement(By.id("message")).getText().contains(org.epiloop.shared.Masks.name(name)));
  }

  /** A tap on an item of a list the page re-draws when its data arrives: again if it was re-drawn under the finger. */
  private void tap(By item) {
    new WebDriverWait(driver, Duration.ofSeconds(20)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .ignoring(org.openqa.selenium.ElementNotInteractableException.class)
        .until(d -> {
          d.findElement(item).click();
          return true;
        });
  }

  private void twoTaps(By button) {
    WebElement b = wait.until(elementToBeClickable(button));
    String idle = b.getText();
    b.click();
    wait.until(d -> !d.findElement(button).getText().equals(idle));
    driver.findElement(button).click();
  }

  /** At the station: open a box by scan, pack the sealed tubes, seal it; the label shows the box code as a barcode. */
  private void packBox(String box, List<String> tubes, City city) throws Exception {
    driver.findElement(By.id("tab-box")).click();
    browser.scanInto("box-scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "BOX_OPENED"));
    for (int i = 0; i < tubes.size(); i++) {
      browser.scanInto("box-scan", tubes.get(i));
      wait.until(textToBe(By.id("box-count"), String.valueOf(i + 1)));
    }
    // a tube that is no tube of this site is refused in plain words
    browser.scanInto("box-scan", unique("T"));
    wait.until(attributeToBe(By.id("message"), "data-code", "TUBE_NOT_FOUND"));
    twoTaps(By.id("box-seal"));
    wait.until(attributeToBe(By.id("message"), "data-code", "BOX_SEALED"));
    wait.until(attributeToBe(By.id("label-img"), "data-box", box));
    assertThat(browser.text("label-code")).isEqualTo(box);
    assertThat(browser.text("label-site")).contains(city.site());
    assertThat(browser.text("label-count")).startsWith(String.valueOf(tubes.size()));
    assertThat(browser.text("label-first")).isNotEqualTo("—");
    assertThat(labelBarcode()).as("the printed barcode reads as the box code").isEqualTo(box);
    wait.until(presenceOfElementLocated(By.cssSelector("#site-pickups li[data-box='" + box + "']")));
  }

  private String labelBarcode() throws Exception {
    String png = (String) ((JavascriptExecutor) driver).executeAsyncScript(DRAW_LABEL, "label-img");
    var image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.substring(png.indexOf(',') + 1))));
    return new Code128Reader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)))).getText();
  }

  /** The courier: sees the box waiting at its site, takes it by scan, delivers it with a deliberate tap. */
  private void carry(City city, String box) throws IOException {
    driver.get(api().base() + "/courier");
    login(city.staff().courier());
    wait.until(presenceOfElementLocated(By.cssSelector("#lab option[value='" + city.lab() + "']")));
    new Select(driver.findElement(By.id("lab"))).selectByValue(city.lab());
    wait.until(presenceOfElementLocated(By.cssSelector("#pickups .site-group[data-site='" + city.site() + "'] li[data-box='" + box + "']")));
    assertThat(driver.findElement(By.cssSelector("#pickups .site-group[data-site='" + city.site() + "']")).getText()).contains(city.siteName());
    shots("day-courier-pickups");
    browser.scanInto("scan", box);
    wait.until(attributeToBe(By.id("message"), "data-code", "HANDED_OVER"));
    wait.until(numberOfElementsToBe(By.cssSelector("#pickups li[data-box='" + box + "']"), 0));
    new WebDriverWait(driver, Duration.ofSeconds(30)).pollingEvery(Duration.ofSeconds(1)).withMessage("the delivery question")
        .until(d -> {
          if (d.findElement(By.id("arrive-confirm")).isDisplayed()) {
            return true;
          }
          browser.scanInto("scan", box);
          return false;
        });
    shots("day-courier-confirm");
    driver.findElement(By.id("arrive-yes")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "ARRIVED"));
    wait.until(presenceOfElementLocated(By.cssSelector("#delivered li[data-box='" + box + "']")));
  }

  /** The technician: taps the incoming box to open it, checks its tubes in, closes, puts the waiting tubes on a plate, uploads the export. */
  private void labReceiveAndPlate(City city, String box, List<String> tubes, Set<String> positives) throws IOException {
    driver.get(api().base() + "/lab");
    login(city.staff().tech());
    wait.until(textToBe(By.id("lab-code"), city.lab()));
    driver.findElement(By.id("tab-receipt")).click();
    By incoming = By.cssSelector("#incoming li[data-box='" + box + "'] button");
    wait.until(elementToBeClickable(incoming));
    shots("day-lab-incoming");
    tap(incoming);
    wait.until(attributeToBe(By.id("message"), "data-code", "BOX_OPENED"));
    for (String t : tubes) {
      browser.scanInto("receipt-scan", t);
      wait.until(presenceOfElementLocated(By.cssSelector("#expected li[data-tube='" + t + "'][data-state='RECEIVED']")));
    }
    driver.findElement(By.id("receipt-close")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "CLOSED"));

    driver.findElement(By.id("tab-plate")).click();
    if (driver.findElement(By.id("run-panel")).isDisplayed()) {
      driver.findElement(By.id("plate-new")).click(); // the last plate of this bench is done
    }
    wait.until(numberOfElementsToBe(By.cssSelector("#waiting li[data-tube]"), tubes.size()));
    driver.findElement(By.id("waiting-all")).click();
    wait.until(textToBePresentInElementLocated(By.cssSelector("#plate-grid [data-well='A1']"), tubes.get(0)));
    driver.findElement(By.id("plate-code")).sendKeys(unique("P"), Keys.ENTER);
    driver.findElement(By.id("plate-load")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "LOADED"));
    Map<String, String> layout = new java.util.LinkedHashMap<>();
    for (String t : tubes) {
      String well = wellOf(t);
      layout.put(well, t);
    }
    Path csv = Files.createTempFile("epiloop-day-", ".csv");
    Files.writeString(csv, Plates.csv(layout, positives, false));
    driver.findElement(By.id("results-file")).sendKeys(csv.toAbsolutePath().toString());
    wait.until(d -> !"LOADED".equals(d.findElement(By.id("run-status")).getText()));
    Files.deleteIfExists(csv);
  }

  /** The well the page put a tube in, read from the plate on the page. */
  private String wellOf(String tube) {
    return driver.findElements(By.cssSelector("#plate-grid [data-well]")).stream()
        .filter(w -> w.getText().contains(tube)).findFirst().orElseThrow().getDomAttribute("data-well");
  }

  /** The reviewer: the run waiting for review is on the list; a tap opens it, two taps release it. */
  private void release(City city) throws IOException {
    login(city.staff().reviewer());
    driver.findElement(By.id("tab-review")).click();
    By waiting = By.cssSelector("#review-queue li[data-run] button");
    tap(waiting);
    wait.until(textToBe(By.id("review-status"), "RESULTS_ENTERED"));
    wait.until(textToBe(By.id("review-by"), city.staff().tech()));
    twoTaps(By.id("approve"));
    wait.until(textToBe(By.id("review-status"), "RELEASED"));
    wait.until(numberOfElementsToBe(By.cssSelector("#review-queue li[data-run]"), 0));
  }

  private List<String> recallTexts(String phone) {
    return ok(admin().get("/api/v1/admin/sms-outbox?phone=" + phone), 200).json().valueStream()
        .map(m -> m.path("text").asString()).filter(t -> t.contains("复检通知")).toList();
  }

  /** The page as it is now, at phone size (this browser) and at desktop size. */
  private void shots(String name) throws IOException {
    browser.screenshotFullPage(name + "-phone.png");
    browser.screenshotAt(name + "-desktop.png", 1280, 800);
  }
}
