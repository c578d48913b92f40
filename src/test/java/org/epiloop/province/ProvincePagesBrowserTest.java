package org.epiloop.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages of issue 16: an administrator reads what the province refused (with its
 * OperationOutcome) and sends it again; at the lab bench one reviewer proposes a correction of a
 * released result and another approves it.
 */
class ProvincePagesBrowserTest extends BrowserTest {

  @Test
  void anAdministratorSeesARefusedBundleAndSendsItAgain() throws Exception {
    // fixture: a bundle the province refused (delivery is off in the shared test context, and
    // ProvinceDeliveryTest drives the real refusal against a real receiver)
    long id = jdbc.sql("""
            insert into province_outbox (binding_id, revision, report_status, result_status, state, created_at, attempts, next_attempt_at,
                                         http_status, last_error, outcome)
            values (?, 0, 'FINAL', 'NEGATIVE', 'DEAD', ?, 1, ?, 422, 'HTTP 422: Patient.identifier: not registered', ?) returning id""")
        .params(UUID.randomUUID(), OffsetDateTime.now(ZoneOffset.UTC), OffsetDateTime.now(ZoneOffset.UTC),
            "{\n  \"resourceType\": \"OperationOutcome\",\n  \"issue\": [ {\n    \"severity\": \"error\",\n    \"code\": \"business-rule\","
                + "\n    \"diagnostics\": \"Patient.identifier: the document number is not registered with the province\"\n  } ]\n}")
        .query(Long.class).single();
    String adminName = unique("adm").toLowerCase();
    String secret = totpSecret(ok(admin().post("/api/v1/admin/users",
        Api.obj("username", adminName, "password", PASSWORD, "role", "ADMIN")), 201).str("totpUri"));

    driver.get(api().base() + "/admin");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(adminName);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("totp"))).sendKeys(totp(secret));
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), adminName));

    driver.findElement(By.id("tab-province")).click();
    WebElement row = wait.until(visibilityOfElementLocated(By.cssSelector("#province-dead li[data-code='" + id + "']")));
    assertThat(row.getText()).contains("HTTP 422").contains("not registered with the province");
    assertThat(browser.text("province-status")).contains("Off");
    browser.screenshotFullPage("admin-province-refused-phone.png");

    row.findElement(By.cssSelector("button[data-action='requeue']")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "Queued again"));
    wait.until(d -> d.findElements(By.cssSelector("#province-dead li[data-code='" + id + "']")).isEmpty());
    assertThat(jdbc.sql("select state from province_outbox where id = ?").param(id).query(String.class).single()).isEqualTo("PENDING");
    // nothing sends it here (delivery is off): leave no row for other tests' counts
    jdbc.sql("delete from province_outbox where id = ?").param(id).update();
  }

  @Test
  void oneReviewerProposesACorrectionAndAnotherApprovesIt() throws Exception {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 3).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201)
        .str("runId");
    ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200);
    await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("select count(*) from person_results where tube_code = ?").param(tube)
        .query(Integer.class).single() == 3);
    String first = unique("rev").toLowerCase();
    String second = unique("rev").toLowerCase();
    for (String name : List.of(first, second)) {
      ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", "LAB_REVIEWER", "labCode", c.lab())), 201);
    }

    driver.get(api().base() + "/lab");
    login(first, c.lab());
    driver.findElement(By.id("tab-review")).click();
    wait.until(visibilityOfElementLocated(By.id("amend-tube"))).sendKeys(tube);
    driver.findElement(By.id("amend-lookup")).click();
    wait.until(visibilityOfElementLocated(By.id("amend-form")));
    assertThat(new Select(driver.findElement(By.id("amend-person"))).getOptions()).hasSize(3);
    new Select(driver.findElement(By.id("amend-status"))).selectByValue("RETEST");
    driver.findElement(By.id("amend-reason")).sendKeys("内参复读失败 Internal control failed on re-read");
    driver.findElement(By.id("amend-propose")).click();
    // a busy machine answers slowly: wait longer than the page's usual 20 s, and say what the page said
    WebDriverWait slow = new WebDriverWait(driver, Duration.ofSeconds(90));
    slow.withMessage(() -> "page said: " + driver.findElement(By.id("message-text")).getText())
        .until(textToBePresentInElementLocated(By.id("message-text"), "another reviewer of this lab approves it"));
    WebElement mine = slow.until(visibilityOfElementLocated(By.cssSelector("#amend-list li[data-state='PROPOSED']")));
    assertThat(mine.getText()).contains(tube).contains("Waiting for another reviewer");
    assertThat(mine.findElements(By.cssSelector("button[data-action='approve']"))).isEmpty();
    browser.screenshotFullPage("lab-amendment-proposed-phone.png");

    driver.findElement(By.id("logout")).click();
    login(second, c.lab());
    driver.findElement(By.id("tab-review")).click();
    // the list may still show the first reviewer's rendering (no approve button) for a moment after
    // the second login: wait for the second reviewer's own rendering, which has the button
    slow.ignoring(StaleElementReferenceException.class).until(d -> {
      d.findElement(By.cssSelector("#amend-list li[data-state='PROPOSED'] button[data-action='approve']")).click();
      return true;
    });
    slow.until(textToBePresentInElementLocated(By.id("message-text"), "Approved"));
    slow.until(visibilityOfElementLocated(By.cssSelector("#amend-list li[data-state='APPROVED']")));
    browser.screenshotFullPage("lab-amendment-approved-phone.png");
    assertThat(jdbc.sql("select count(*) from person_results where tube_code = ? and status = 'RETEST' and revision = 1").param(tube)
        .query(Integer.class).single()).isEqualTo(1);
  }

  private void login(String username, String lab) {
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("lab-code"), lab));
    wait.until(textToBe(By.id("user"), username));
  }
}
