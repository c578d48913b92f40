package org.epiloop.support;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Base of the browser tests: the application as in {@link IntegrationTest}, plus a fresh
 * headless Chromium per test (phone-sized unless {@link #openBrowser()} says otherwise).
 */
public abstract class BrowserTest extends IntegrationTest {

  protected Browser browser;
  protected ChromeDriver driver;
  protected WebDriverWait wait;

  /** The browser each test gets; override for another window size. */
  protected Browser openBrowser() throws IOException {
    return Browser.phone();
  }

  @BeforeEach
  void startBrowser() throws IOException {
    browser = openBrowser();
    driver = browser.driver();
    wait = browser.await();
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) {
      browser.close();
    }
  }
}
