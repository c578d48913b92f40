package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.elementToBeClickable;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Swagger UI as a developer meets it: the API's title and version, and an Authorize button (the
 * bearer scheme) that asks for the token; secured operations show a lock, public ones do not.
 */
class SwaggerUiBrowserTest extends BrowserTest {

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1280, 900);
  }

  @Test
  void swaggerUiHasTheTitleAndAnAuthorizeButtonForTheBearerToken() throws IOException {
    driver.get(api().base() + "/swagger-ui.html");
    wait.until(visibilityOfElementLocated(By.cssSelector(".info .title")));
    assertThat(driver.findElement(By.cssSelector(".info .title")).getText()).startsWith("Epiloop API");
    browser.screenshot("swagger-ui.png");

    wait.until(elementToBeClickable(By.cssSelector("button.authorize"))).click();
    wait.until(visibilityOfElementLocated(By.cssSelector(".modal-ux input")));
    assertThat(driver.findElement(By.cssSelector(".modal-ux")).getText()).contains("bearer").contains("POST /api/v1/auth/token");
    browser.screenshot("swagger-ui-authorize.png");
  }
}
