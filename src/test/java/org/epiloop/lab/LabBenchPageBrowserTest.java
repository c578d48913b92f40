package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.numberOfElementsToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.Flows;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The lab bench as a lab uses it, in a real (headless) Chromium against the whole application
 * on a real PostgreSQL: a technician receives a box by scanning it and its tubes (plus a stray
 * tube from another box), rejects a leaking tube and closes the receipt with its report; loads
 * the two good tubes onto a plate and uploads the instrument's CSV; then a reviewer — a
 * different person — is refused approving a run they entered themselves, approves the
 * technician's run and sees the persons' results published. Scans are keys typed into whatever
 * has focus, then Enter; the test never clicks a scan field. The database is checked directly,
 * so the page cannot fake what it shows.
 */
class LabBenchPageBrowserTest extends BrowserTest {

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1024, 900);
  }

  @Test
  void technicianReceivesLoadsAndUploadsThenAReviewerReleases() throws IOException {
    Corner corner = corner();
    String lab = corner.lab();
    Api courier = staffApi(user("COURIER", null));
    String tech = user("LAB_TECH", lab);
    String reviewer = user("LAB_REVIEWER", lab);
    Api reviewerApi = staffApi(reviewer);

    String t1 = Flows.fillTube(corner.collector(), unique("T"), 2).tubeCode();
    String t2 = Flows.fillTube(corner.collector(), unique("T"), 2).tubeCode();
    String t3 = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String t4 = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String t5 = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String box1 = unique("B");
    String box2 = unique("B");
    Flows.ship(corner.collector(), courier, box1, lab, List.of(t1, t2, t3));
    Flows.ship(corner.collector(), courier, box2, lab, List.of(t4, t5));

    // ---- the technician logs in from the landing page
    driver.get(api().base() + "/");
    driver.findElement(By.id("link-lab")).click();
    login(tech, lab);

    // ---- a. receipt of box 1: three tubes, a stray one from box 2, one rejected
    // the box and its first tube back-to-back, as fast as a scanner goes: the tube waits for the box to open
    browser.scanInto("receipt-scan", box1);
    browser.scanInto("receipt-scan", t1);
    wait.until(presenceOfElementLocated(By.cssSelector("#expected li[data-tube='" + t1 + "'][data-state='RECEIVED']")));
    wait.until(numberOfElementsToBe(By.cssSelector("#expected li"), 3));
    assertThat(browser.text("expected")).contains(t2).contains(t3);
    assertThat(browser.text("receipt-count")).startsWith("1 / 3");
    for (String t : List.of(t2, t3)) {
      browser.scanInto("receipt-scan", t);
      wait.until(presenceOfElementLocated(By.cssSelector("#expected li[data-tube='" + t + "'][data-state='RECEIVED']")));
    }
    wait.until(textToBePresentInElementLocated(By.id("receipt-count"), "3 / 3"));
    browser.scanInto("receipt-scan", t4);
    wait.until(attributeToBe(By.id("message"), "data-code", "UNEXPECTED"));
    wait.until(presenceOfElementLocated(By.cssSelector("#unexpected li[data-tube='" + t4 + "']")));
    assertThat(browser.text("message")).contains("Not in this box");

    driver.findElement(By.cssSelector("#expected li[data-tube='" + t3 + "'] .reject")).click();
    wait.until(visibilityOfElementLocated(By.id("reject-panel")));
    assertThat(browser.text("reject-what")).contains(t3);
    driver.findElement(By.id("reject-confirm")).click(); // no reason yet: refused
    wait.until(attributeToBe(By.id("message"), "data-code", "REASON_REQUIRED"));
    driver.findElement(By.cssSelector("#reject-panel .chip[data-reason='LEAKING']")).click();
    driver.findElement(By.id("reject-confirm")).click();
    By rejected = By.cssSelector("#expected li[data-tube='" + t3 + "'][data-state='REJECTED']");
    wait.until(presenceOfElementLocated(rejected));
    assertThat(driver.findElement(rejected).getText()).contains("Leaking");
    browser.awaitFocus("receipt-scan");
    browser.screenshotFullPage("lab-receipt.png");

    driver.findElement(By.id("receipt-close")).click();
    wait.until(visibilityOfElementLocated(By.id("report")));
    wait.until(attributeToBe(By.id("message"), "data-code", "CLOSED"));
    assertThat(browser.text("report-received")).isEqualTo("3");
    assertThat(browser.text("report-missing")).isEqualTo("0");
    assertThat(browser.text("report-unexpected")).isEqualTo("1");
    assertThat(browser.text("report-rejected")).isEqualTo("1");
    assertThat(browser.text("report-unexpected-list")).contains(t4);
    assertThat(browser.text("report-rejected-list")).contains(t3).contains("Leaking");
    assertThat(driver.findElement(By.id("report-rejected-fig")).getDomAttribute("class")).contains("bad");
    browser.screenshotFullPage("lab-report.png");
    assertThat(jdbc.sql("select state || ' ' || reject_reason from lab_tubes where tube_code = ?").param(t3)
        .query(String.class).single()).startsWith("REJECTED").contains("Leaking");
    assertThat(jdbc.sql("select closed_by from lab_receipts where box_code = ?").param(box1).query(String.class).single())
        .isEqualTo(tech);

    // ---- b. plate: the two good tubes into A1 and A2, controls in H11/H12, then the instrument file
    driver.findElement(By.id("tab-plate")).click();
    browser.awaitFocus("plate-scan");
    String plate = unique("P");
    driver.findElement(By.id("plate-code")).sendKeys(plate, Keys.ENTER);
    browser.scanInto("plate-scan", t1);
    wait.until(textToBePresentInElementLocated(By.cssSelector("#plate-grid [data-well='A1']"), t1));
    browser.scanInto("plate-scan", t1);
    wait.until(attributeToBe(By.id("message"), "data-code", "TUBE_ON_PLATE"));
    browser.scanInto("plate-scan", t2);
    wait.until(textToBePresentInElementLocated(By.cssSelector("#plate-grid [data-well='A2']"), t2));
    assertThat(browser.text("next-well")).isEqualTo("A3");
    assertThat(driver.findElement(By.cssSelector("#plate-grid [data-well='H11']")).getDomAttribute("data-kind")).isEqualTo("control");
    driver.findElement(By.id("plate-load")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "LOADED"));
    wait.until(textToBe(By.id("run-status"), "LOADED"));
    String run = browser.text("run-id");
    assertThat(jdbc.sql("select plate_code || ' ' || status || ' ' || created_by from runs where id = ?::uuid").param(run)
        .query(String.class).single()).isEqualTo(plate + " LOADED " + tech);

    Map<String, String> layout = Plates.layout(List.of(t1, t2));
    Path csv = Files.createTempFile("epiloop-run-", ".csv");
    Files.writeString(csv, Plates.csv(layout, Set.of(t1), false));
    driver.findElement(By.id("results-file")).sendKeys(csv.toAbsolutePath().toString());
    wait.until(attributeToBe(By.id("message"), "data-code", "RESULTS_ENTERED"));
    wait.until(textToBe(By.id("run-status"), "RESULTS_ENTERED"));
    wait.until(attributeToBe(By.cssSelector("#plate-grid [data-well='A1']"), "data-interp", "POSITIVE"));
    assertThat(driver.findElement(By.cssSelector("#plate-grid [data-well='A2']")).getDomAttribute("data-interp")).isEqualTo("NEGATIVE");
    assertThat(browser.text("run-summary")).contains("1 POSITIVE").contains("1 NEGATIVE");
    browser.awaitFocus("plate-scan");
    browser.screenshotFullPage("lab-plate.png");
    Files.deleteIfExists(csv);

    // ---- c. review: a run the reviewer entered themself (box 2, through the API) cannot be approved by them
    Flows.receive(reviewerApi, lab, box2, List.of(t4, t5));
    Map<String, String> layout2 = Plates.layout(List.of(t4, t5));
    String ownRun = ok(reviewerApi.post("/api/v1/labs/" + lab + "/runs", Map.of("plateCode", unique("P"), "wells",
        Plates.wellsJson(layout2))), 201).str("runId");
    ok(reviewerApi.postRaw("/api/v1/runs/" + ownRun + "/results", "text/csv", Plates.csv(layout2, Set.of(t4), false)), 200);

    driver.findElement(By.id("logout")).click();
    login(reviewer, lab);
    driver.findElement(By.id("tab-review")).click();
    browser.scanInto("review-scan", ownRun);
    wait.until(textToBe(By.id("review-id"), ownRun));
    wait.until(textToBe(By.id("review-status"), "RESULTS_ENTERED"));
    approve();
    wait.until(attributeToBe(By.id("message"), "data-code", "SAME_USER"));
    assertThat(browser.text("message")).contains("Results must be approved by someone other than who entered them");
    browser.screenshotFullPage("lab-same-user.png");

    // ---- the technician's run, picked from the runs of this browser session, is approved and released
    browser.awaitFocus("review-scan");
    new Select(driver.findElement(By.id("review-runs"))).selectByValue(run);
    wait.until(textToBe(By.id("review-id"), run));
    wait.until(textToBe(By.id("review-by"), tech));
    assertThat(driver.findElement(By.cssSelector("#review-grid [data-well='A1']")).getDomAttribute("data-interp")).isEqualTo("POSITIVE");
    assertThat(driver.findElement(By.cssSelector("#review-grid [data-well='A2']")).getDomAttribute("data-interp")).isEqualTo("NEGATIVE");
    approve();
    wait.until(textToBe(By.id("review-status"), "RELEASED"));
    wait.until(attributeToBe(By.id("message"), "data-code", "RELEASED"));
    wait.until(textToBePresentInElementLocated(By.id("published"), "4 persons' results published"));
    browser.screenshotFullPage("lab-review.png");

    assertThat(jdbc.sql("select status || ' ' || approved_by from runs where id = ?::uuid").param(run).query(String.class).single())
        .isEqualTo("RELEASED " + reviewer);
    List<String> published = jdbc.sql("""
            select r.tube_code || ' ' || r.status from bindings b join person_results r on r.binding_id = b.id and r.person_id = b.person_id
            where b.tube_code in (?, ?) and b.unbound_at is null and r.run_id = ?::uuid order by 1""")
        .params(t1, t2, run).query(String.class).list();
    assertThat(published).as("one result per member of the two tubes").containsExactlyInAnyOrder(
        t1 + " RECALLED", t1 + " RECALLED", t2 + " NEGATIVE", t2 + " NEGATIVE");
    assertThat(jdbc.sql("select status from runs where id = ?::uuid").param(ownRun).query(String.class).single())
        .as("nobody released the run its own reviewer entered").isEqualTo("RESULTS_ENTERED");
  }

  @Test
  void aRunWhoseControlsFailIsShownInvalidAndItsTubesGoOnANewPlate() throws IOException {
    Corner corner = corner();
    String lab = corner.lab();
    String tech = user("LAB_TECH", lab);
    String tube = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(corner.collector(), staffApi(user("COURIER", null)), box, lab, List.of(tube));
    Flows.receive(staffApi(tech), lab, box, List.of(tube));

    driver.get(api().base() + "/lab");
    login(tech, lab);
    driver.findElement(By.id("tab-plate")).click();
    browser.awaitFocus("plate-scan");
    driver.findElement(By.id("plate-load")).click(); // nothing on the plate, no plate code
    wait.until(attributeToBe(By.id("message"), "data-code", "PLATE_CODE_REQUIRED"));
    driver.findElement(By.id("plate-code")).sendKeys(unique("P"), Keys.ENTER);
    browser.scanInto("plate-scan", tube);
    wait.until(textToBePresentInElementLocated(By.cssSelector("#plate-grid [data-well='A1']"), tube));
    driver.findElement(By.id("plate-load")).click();
    wait.until(textToBe(By.id("run-status"), "LOADED"));
    String run = browser.text("run-id");

    // the instrument PC has no file share: the export is pasted; its negative control amplified
    driver.findElement(By.cssSelector("#paste summary")).click();
    wait.until(visibilityOfElementLocated(By.id("results-text"))).sendKeys(Plates.csv(Plates.layout(List.of(tube)), Set.of(), true));
    driver.findElement(By.id("results-submit")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "CONTROLS_FAILED"));
    wait.until(visibilityOfElementLocated(By.id("controls-failed")));
    assertThat(browser.text("controls-failed")).contains("re-run these tubes").contains(tube);
    assertThat(browser.text("run-status")).isEqualTo("CONTROLS_FAILED");
    browser.screenshotFullPage("lab-controls-failed.png");
    assertThat(jdbc.sql("select state from lab_tubes where tube_code = ?").param(tube).query(String.class).single())
        .as("the tube waits for another plate").isEqualTo("WAITING");

    driver.findElement(By.id("plate-rerun")).click();
    wait.until(textToBe(By.id("next-well"), "A2"));
    assertThat(driver.findElement(By.cssSelector("#plate-grid [data-well='A1']")).getText()).contains(tube);
    assertThat(driver.findElement(By.id("run-panel")).isDisplayed()).isFalse();
    driver.findElement(By.id("tab-review")).click();
    assertThat(new Select(driver.findElement(By.id("review-runs"))).getOptions())
        .anySatisfy(o -> assertThat(o.getDomAttribute("value")).isEqualTo(run));
  }

  @Test
  void aReceiptLeftOpenAtAnotherBenchIsCarriedOnFromTheListOfOpenReceipts() throws IOException {
    Corner corner = corner();
    String lab = corner.lab();
    String tech = user("LAB_TECH", lab);
    String t1 = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String t2 = Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode();
    String box = unique("B");
    Flows.ship(corner.collector(), staffApi(user("COURIER", null)), box, lab, List.of(t1, t2));
    // another bench opened the box and checked one tube in
    Api other = staffApi(user("LAB_TECH", lab));
    ok(other.post("/api/v1/labs/" + lab + "/receipts", Map.of("boxCode", box)), 200);
    ok(other.post("/api/v1/labs/" + lab + "/receipts/" + box + "/tubes", Map.of("tubeCode", t1)), 200);

    driver.get(api().base() + "/lab");
    login(tech, lab);
    By open = By.cssSelector("#open-receipts li[data-box='" + box + "'] button");
    wait.until(textToBePresentInElementLocated(open, "1 / 2"));
    // the list is re-drawn when fresh data arrives: a tap on an item just replaced is tapped again
    new org.openqa.selenium.support.ui.WebDriverWait(driver, java.time.Duration.ofSeconds(20))
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> {
          d.findElement(open).click();
          return true;
        });
    wait.until(attributeToBe(By.id("message"), "data-code", "RESUMED"));
    wait.until(presenceOfElementLocated(By.cssSelector("#expected li[data-tube='" + t1 + "'][data-state='RECEIVED']")));
    assertThat(driver.findElement(By.cssSelector("#expected li[data-tube='" + t2 + "']")).getDomAttribute("data-state")).isEqualTo("EXPECTED");
    browser.scanInto("receipt-scan", t2);
    wait.until(textToBePresentInElementLocated(By.id("receipt-count"), "2 / 2"));
    driver.findElement(By.id("receipt-close")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "CLOSED"));
    wait.until(numberOfElementsToBe(By.cssSelector("#open-receipts li[data-box]"), 0));
    assertThat(browser.text("report-received")).isEqualTo("2");
  }

  // ------------------------------------------------------------------ what a person does

  private void login(String username, String lab) {
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("lab-code"), lab));
    wait.until(textToBe(By.id("user"), username));
  }

  /** Approving releases results to people, so it takes two taps. */
  private void approve() {
    WebElement button = wait.until(visibilityOfElementLocated(By.id("approve")));
    button.click();
    wait.until(textToBePresentInElementLocated(By.id("approve"), "Tap again"));
    button.click();
  }

  /** A staff user whose username and password the test knows. */
  private String user(String role, String lab) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role, "labCode", lab)), 201);
    return name;
  }

  private Api staffApi(String username) {
    return api().as(token(username, PASSWORD));
  }
}
