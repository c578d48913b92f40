package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.invisibilityOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The staff login form with a second factor, in a real (headless) Chromium: an ADMIN types
 * username and password, the form asks for the one-time code (the server answered
 * TOTP_REQUIRED), a wrong code is refused, the right one logs in; logging out revokes the
 * page's token on the server.
 */
class StaffLoginPageBrowserTest extends BrowserTest {

  @Test
  void anAdminIsAskedForTheOneTimeCodeAndLogsInWithIt() throws Exception {
    String name = unique("adm").toLowerCase();
    String secret = totpSecret(ok(admin().post("/api/v1/admin/users",
        Api.obj("username", name, "password", PASSWORD, "role", "ADMIN")), 201).str("totpUri"));
    driver.get(api().base() + "/gate");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(name);
    assertThat(driver.findElement(By.id("totp-row")).isDisplayed()).isFalse();
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();

    // the server wants the second factor: the code field appears, with the words for it
    wait.until(visibilityOfElementLocated(By.id("totp-row")));
    assertThat(browser.text("login-error")).contains("authenticator app");
    browser.awaitFocus("totp");
    String right = totp(secret);
    driver.findElement(By.id("totp")).sendKeys(right.equals("000000") ? "111111" : "000000");
    driver.findElement(By.id("login")).click();
    wait.until(textToBePresentInElementLocated(By.id("login-error"), "The code is wrong or was already used"));
    browser.screenshot("login-totp.png");

    driver.findElement(By.id("totp")).sendKeys(right);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), name));
    String token = (String) driver.executeScript(
        "for (let i = 0; i < sessionStorage.length; i++) { const v = JSON.parse(sessionStorage.getItem(sessionStorage.key(i)));"
            + " if (v && v.accessToken) return v.accessToken; } return null;");
    assertThat(api().as(token).get("/api/v1/admin/users").status()).isEqualTo(200);

    // logging out ends the token on the server, not only in the page
    driver.findElement(By.id("logout")).click();
    wait.until(invisibilityOfElementLocated(By.id("logout")));
    wait.until(d -> api().as(token).get("/api/v1/admin/users").status() == 401);
  }
}
