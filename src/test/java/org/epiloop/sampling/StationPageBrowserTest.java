package org.epiloop.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Residents;
import org.epiloop.support.Browser;
import org.epiloop.support.Ids;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The collector station as a collector uses it, in a real (headless) Chromium against the
 * whole application on a real PostgreSQL: log in, open a tube, "scan" with a keyboard-wedge
 * scanner (keys typed into whatever has focus, then Enter; the test never clicks the scan
 * field, which proves the page keeps it focused), see the count, the errors in plain words,
 * the sealed state, unbinding, and scans that wait out a network outage. The database is
 * checked directly, so the page cannot fake what it shows.
 *
 * <p>Uses Debian's Chromium and chromedriver through {@link Browser} ({@code apt-get install
 * chromium chromium-driver}); without them the test fails rather than skips, so CI cannot
 * silently lose it.
 */
class StationPageBrowserTest extends BrowserTest {

  /** One person as the ID card reader types them, and how the page shows their name. */
  private record Person(String idNumber, String name, String masked) {
    static Person of(String name, String masked) {
      return new Person(Ids.next(), name, masked);
    }

    String read() {
      return idNumber + "," + name;
    }
  }

  @Test
  void collectorFillsAFiveTubeByScanningIdCards() throws IOException {
    Corner corner = corner();
    login(collector(corner.site()), corner.site());
    String tube = unique("T");
    openTube(tube, 5);

    List<Person> people = List.of(Person.of("张三丰", "张*丰"), Person.of("李小龙", "李*龙"), Person.of("王五", "王*"),
        Person.of("赵六六", "赵*六"), Person.of("欧阳娜娜", "欧**娜"));
    for (int i = 0; i < 4; i++) {
      Person p = people.get(i);
      // the fourth card reader sends "NUMBER NAME" instead of "NUMBER,NAME"
      scan(i == 3 ? p.idNumber() + " " + p.name() : p.read());
      wait.until(textToBe(By.id("progress"), (i + 1) + " / 5"));
      wait.until(textToBePresentInElementLocated(By.id("last-person"), p.masked()));
      wait.until(textToBePresentInElementLocated(By.id("members"), p.masked()));
      if (i == 1) {
        String good = Ids.next();
        String wrongCheck = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
        scan(wrongCheck + ",钱七");
        wait.until(attributeToBe(By.id("message"), "data-code", "INVALID_ID_NUMBER"));
        assertThat(text("message")).contains("The ID number is not valid").contains("证件号码不正确");
        assertThat(driver.findElement(By.id("message")).getDomAttribute("class")).contains("error");
        assertThat(text("message-field")).contains("ID number");
        assertThat(text("progress")).isEqualTo("2 / 5");
        screenshot("station-error.png");
      }
    }
    screenshot("station-scanning.png");

    scan(people.get(4).read());
    wait.until(textToBePresentInElementLocated(By.id("tube-status"), "SEALED"));
    assertThat(text("progress")).isEqualTo("5 / 5");
    assertThat(text("last-person")).contains("欧**娜");
    assertThat(text("message")).contains("SEALED").contains("Scan the next tube");
    assertThat(driver.findElements(By.cssSelector("#members li"))).hasSize(5);
    assertThat(driver.findElements(By.cssSelector("#members .remove"))).isEmpty();
    // the scan field now expects the next tube
    wait.until(d -> "tube-code".equals(d.switchTo().activeElement().getDomAttribute("id")));
    screenshot("station.png");

    assertThat(jdbc.sql("select count(*) from bindings where tube_code = ?").param(tube).query(Long.class).single())
        .isEqualTo(5);
    assertThat(jdbc.sql("select status from tubes where code = ?").param(tube).query(String.class).single())
        .isEqualTo("SEALED");
  }

  @Test
  void collectorSamplesARepeatPersonAnywayAndRemovesAWrongScan() throws IOException {
    Corner corner = corner();
    String user = collector(corner.site());
    driver.get(api().base() + "/");
    driver.findElement(By.id("link-station")).click();
    login(user, corner.site());

    Person again = Person.of("孙悟空", "孙*空");
    Person wrong = Person.of("猪八戒", "猪*戒");
    String single = unique("T");
    openTube(single, 1);
    scan(again.read());
    wait.until(textToBePresentInElementLocated(By.id("tube-status"), "SEALED"));

    String pool = unique("T");
    openTube(pool, 5);
    scan(again.read());
    wait.until(attributeToBe(By.id("message"), "data-code", "SAMPLED_IN_ROUND"));
    assertThat(text("message")).contains("sampled in the last 12 hours");
    wait.until(elementToBeClickable(By.id("repeat"))).click();
    wait.until(textToBe(By.id("progress"), "1 / 5"));
    assertThat(text("message")).contains("repeat sample");

    scan(wrong.read());
    wait.until(textToBe(By.id("progress"), "2 / 5"));
    driver.findElement(By.cssSelector("#members li[data-position='2'] .remove")).click();
    wait.until(visibilityOfElementLocated(By.id("unbind-panel")));
    assertThat(text("unbind-what")).contains("猪*戒");
    driver.findElement(By.cssSelector("#unbind-panel .chip")).click();
    screenshot("station-unbind.png");
    driver.findElement(By.id("unbind-confirm")).click();
    wait.until(invisibilityOfElementLocated(By.id("unbind-panel")));
    wait.until(textToBe(By.id("progress"), "1 / 5"));
    wait.until(numberOfElementsToBe(By.cssSelector("#members li"), 1));
    assertThat(text("members")).contains("孙*空").doesNotContain("猪*戒");
    awaitFocus("scan");

    assertThat(bindings(pool)).isEqualTo(1);
    assertThat(jdbc.sql("select unbind_reason from bindings where tube_code = ? and unbound_at is not null")
        .param(pool).query(String.class).single()).contains("Wrong person");
    assertThat(jdbc.sql("select repeat_confirmed from bindings where tube_code = ? and unbound_at is null")
        .param(pool).query(Boolean.class).single()).isTrue();
  }

  @Test
  void scansWaitOutANetworkOutageAndAreSentOnceInOrder() throws IOException {
    Corner corner = corner();
    login(collector(corner.site()), corner.site());
    String tube = unique("T");
    openTube(tube, 5);

    Person first = Person.of("沙和尚", "沙*尚");
    Person second = Person.of("唐三藏", "唐*藏");
    ChromiumNetworkConditions offline = new ChromiumNetworkConditions();
    offline.setOffline(true);
    driver.setNetworkConditions(offline);
    scan(first.read());
    scan(second.read());
    wait.until(textToBePresentInElementLocated(By.id("queue"), "2 scans waiting for network"));
    assertThat(text("pending")).contains("+2");
    assertThat(text("progress")).isEqualTo("0 / 5");
    screenshot("station-offline.png");
    assertThat(bindings(tube)).isZero();

    driver.deleteNetworkConditions();
    wait.until(textToBe(By.id("progress"), "2 / 5"));
    wait.until(invisibilityOfElementLocated(By.id("queue")));
    assertThat(text("members")).containsSubsequence("沙*尚", "唐*藏");
    assertThat(((JavascriptExecutor) driver).executeScript(
        "return JSON.parse(localStorage.getItem('epiloop.station.queue') || '[]').length")).isEqualTo(0L);
    assertThat(bindings(tube)).isEqualTo(2);
    assertThat(jdbc.sql("select position from bindings where tube_code = ? order by bound_at").param(tube)
        .query(Integer.class).list()).containsExactly(1, 2);
  }

  @Test
  void collectorResumesATubeTypesAPassportAndSealsByHand() {
    Corner corner = corner();
    login(collector(corner.site()), corner.site());
    String tube = unique("T");
    openTube(tube, 10);
    Person first = Person.of("白骨精", "白*精");
    scan(first.read());
    wait.until(textToBe(By.id("progress"), "1 / 10"));

    // leave the tube open, then resume it from the site's list
    driver.findElement(By.id("change-tube")).click();
    awaitFocus("tube-code");
    wait.until(elementToBeClickable(By.cssSelector("#open-tubes button[data-code='" + tube + "']"))).click();
    wait.until(textToBe(By.id("progress"), "1 / 10"));
    assertThat(text("members")).contains("白*精");
    awaitFocus("scan");

    // a card that cannot be read: typed by hand
    driver.findElement(By.cssSelector("#manual summary")).click();
    awaitFocus("manual-number");
    new Select(driver.findElement(By.id("manual-type"))).selectByValue("PASSPORT");
    String passport = "E" + String.format("%08d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 100_000_000L));
    driver.findElement(By.id("manual-number")).sendKeys(passport);
    driver.findElement(By.id("manual-name")).sendKeys("John Smith");
    driver.findElement(By.id("manual-submit")).click();
    wait.until(textToBe(By.id("progress"), "2 / 10"));
    assertThat(text("last-person")).contains("J********h");
    awaitFocus("scan");

    // a resident's appointment QR code; a forged one and stray text are refused in plain words
    scan("AP" + "A".repeat(48));
    wait.until(attributeToBe(By.id("message"), "data-code", "APPOINTMENT_NOT_FOUND"));
    assertThat(text("message")).contains("Scan the ID card instead");
    scan("hello");
    wait.until(attributeToBe(By.id("message"), "data-code", "UNRECOGNISED_SCAN"));
    scan(appointmentCode(corner.district(), Person.of("红孩儿", "红*儿")));
    wait.until(textToBe(By.id("progress"), "3 / 10"));
    assertThat(text("last-person")).contains("红*儿");

    // a reload keeps the login (this tab) and the tube
    driver.navigate().refresh();
    wait.until(textToBe(By.id("progress"), "3 / 10"));
    awaitFocus("scan");

    // sealing a partly filled tube takes two taps
    driver.findElement(By.id("seal")).click();
    wait.until(textToBePresentInElementLocated(By.id("seal"), "Tap again"));
    assertThat(text("tube-status")).contains("OPEN");
    driver.findElement(By.id("seal")).click();
    wait.until(textToBePresentInElementLocated(By.id("tube-status"), "SEALED"));
    assertThat(text("progress")).isEqualTo("3 / 10");
    awaitFocus("tube-code");
    assertThat(jdbc.sql("select status || ' ' || bound_count from tubes where code = ?").param(tube)
        .query(String.class).single()).isEqualTo("SEALED 3");
  }

  // ------------------------------------------------------------------ what a person does

  /** A collector of the site whose username and password the test knows. */
  private String collector(String site) {
    String username = unique("station").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", username, "password", PASSWORD, "role", "COLLECTOR",
        "siteCode", site)), 201);
    return username;
  }

  /** A resident registers the person on their phone and shows the appointment QR code. */
  private String appointmentCode(String district, Person person) {
    String phone = "139" + String.format("%08d", Math.floorMod(UUID.randomUUID().getLeastSignificantBits(), 100_000_000L));
    Api resident = Residents.login(api(), admin(), phone);
    String personId = Residents.addPerson(resident, admin(), Api.obj("idType", "CN_ID", "idNumber", person.idNumber(),
        "name", person.name(), "districtCode", district)).str("personId");
    return ok(resident.get("/api/v1/resident/persons/" + personId + "/appointment"), 200).str("appointmentCode");
  }

  private void login(String username, String site) {
    if (!driver.getCurrentUrl().endsWith("/station")) {
      driver.get(api().base() + "/station");
    }
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("site"), site));
  }

  /** Chooses the capacity with one tap, then scans the tube's barcode into the focused field. */
  private void openTube(String code, int capacity) {
    driver.findElement(By.cssSelector("#capacity [data-capacity='" + capacity + "']")).click();
    awaitFocus("tube-code");
    new Actions(driver).sendKeys(code).sendKeys(Keys.ENTER).perform();
    wait.until(textToBe(By.id("tube-label"), code));
    wait.until(textToBe(By.id("progress"), "0 / " + capacity));
  }

  /** What a keyboard-wedge scanner does: types into whatever has focus and presses Enter. */
  private void scan(String text) {
    awaitFocus("scan");
    new Actions(driver).sendKeys(text).sendKeys(Keys.ENTER).perform();
  }

  private void awaitFocus(String id) {
    new WebDriverWait(driver, Duration.ofSeconds(10)).withMessage("focus on #" + id)
        .until(d -> id.equals(d.switchTo().activeElement().getDomAttribute("id")));
  }

  private String text(String id) {
    return driver.findElement(By.id(id)).getText();
  }

  private long bindings(String tube) {
    return jdbc.sql("select count(*) from bindings where tube_code = ? and unbound_at is null").param(tube)
        .query(Long.class).single();
  }

  private void screenshot(String name) throws IOException {
    browser.screenshot(name);
  }
}
