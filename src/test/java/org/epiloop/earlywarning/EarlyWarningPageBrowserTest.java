package org.epiloop.earlywarning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * An official changes a threshold on the early-warning page: a refused value is said in words with
 * the setting named, a good one is saved and shown with who changed it, and the change is listed
 * old → new (ADR 0035). The setting goes back to its default afterwards.
 */
class EarlyWarningPageBrowserTest extends BrowserTest {

  @AfterEach
  void backToDefault() {
    ok(admin().delete("/api/v1/early-warnings/settings/surgeMinVisits"), 200);
  }

  @Test
  void anOfficialChangesASurgeThresholdOnThePage() throws Exception {
    String official = unique("off-ew").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    browser.resize(1280, 900);
    driver.get("http://localhost:" + port + "/early-warning");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    WebElement input = wait.until(visibilityOfElementLocated(By.id("set-surgeMinVisits")));
    assertThat(input.getAttribute("value")).isEqualTo("5");

    input.clear();
    input.sendKeys("0");
    driver.findElement(By.id("save-FEVER_VISIT_SURGE")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "设置值无效"));
    assertThat(driver.findElement(By.id("message-field")).getText()).contains("surgeMinVisits");

    input = driver.findElement(By.id("set-surgeMinVisits"));
    input.clear();
    input.sendKeys("8");
    driver.findElement(By.id("save-FEVER_VISIT_SURGE")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "阈值已保存"));
    wait.until(textToBePresentInElementLocated(By.id("note-surgeMinVisits"), official));
    wait.until(textToBePresentInElementLocated(By.id("changes"), "surgeMinVisits: 5 → 8"));
    assertThat(driver.findElement(By.id("set-surgeMinVisits")).getAttribute("value")).isEqualTo("8");
    assertThat(jdbc.sql("select value from early_warning_settings where name = 'surgeMinVisits'").query(String.class).single()).isEqualTo("8");
    browser.screenshotFullPage("early-warning-settings-desktop.png");
  }
}
