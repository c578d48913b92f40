package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A venue manager's day on the venue page (V1), in Chromium: log in, register a venue, open its
 * QR poster (the Chinese name printed above a QR that scans back to the venue's token), and read
 * today's check-ins with the colour mix the entrance saw.
 */
class VenueManagerPageBrowserTest extends BrowserTest {

  @Test
  void aManagerRegistersAVenuePrintsItsPosterAndSeesTodaysColourMix() throws Exception {
    String district = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "城关区")), 201);
    String manager = unique("venue-manager").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", manager, "password", PASSWORD, "role", "VENUE_MANAGER")), 201);

    driver.get(api().base() + "/");
    driver.findElement(By.id("link-venues")).click();
    logIn(driver, wait, manager);
    wait.until(visibilityOfElementLocated(By.id("venues-none")));

    // ---- register a venue from the form
    driver.findElement(By.id("venue-name")).sendKeys("兰州牛肉面 中山路店");
    new Select(driver.findElement(By.id("venue-district"))).selectByValue(district);
    new Select(driver.findElement(By.id("venue-kind"))).selectByValue("RESTAURANT");
    assertThat(new Select(driver.findElement(By.id("venue-kind"))).getFirstSelectedOption().getText()).isEqualTo("餐饮 Restaurant");
    driver.findElement(By.id("venue-lat")).sendKeys("36.06");
    driver.findElement(By.id("venue-lon")).sendKeys("abc");
    driver.findElement(By.id("register")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-field"), "经度 Longitude"));
    driver.findElement(By.id("venue-lon")).clear();
    driver.findElement(By.id("venue-lon")).sendKeys("103.83");
    driver.findElement(By.id("register")).click();
    wait.until(d -> d.findElements(By.cssSelector("#venue-list li")).size() == 1);
    assertThat(browser.text("message-text")).contains("已登记 Registered: 兰州牛肉面 中山路店");
    String code = driver.findElement(By.cssSelector("#venue-list li")).getDomAttribute("data-code");
    String token = ok(api().as(token(manager, PASSWORD)).get("/api/v1/venues/" + code), 200).str("venueToken");

    // ---- two residents check in: one green (admitted), one red (denied)
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String green = Residents.addNewPerson(resident, admin(), Ids.next(), "绿码", district);
    String red = Residents.addNewPerson(resident, admin(), Ids.next(), "红码", district);
    ok(staff("OFFICIAL", null, null).post("/api/v1/health-codes/overrides",
        Api.obj("personId", red, "color", "RED", "reason", "确诊病例 confirmed case", "hours", 48)), 200);
    ok(resident.post("/api/v1/resident/persons/" + green + "/check-ins", Api.obj("venueToken", token)), 200);
    ok(resident.post("/api/v1/resident/persons/" + red + "/check-ins", Api.obj("venueToken", token)), 200);

    // ---- today's figures
    driver.findElement(By.cssSelector("#venue-list li button[data-action='day']")).click();
    wait.until(textToBe(By.id("day-total"), "2"));
    assertThat(browser.text("day-admitted")).isEqualTo("1");
    assertThat(browser.text("day-denied")).isEqualTo("1");
    assertThat(driver.findElement(By.cssSelector("#day-legend li[data-color='GREEN']")).getText()).contains("绿码 Green: 1 (50%)");
    assertThat(driver.findElement(By.cssSelector("#day-legend li[data-color='RED']")).getText()).contains("红码 Red: 1 (50%)");
    assertThat(driver.findElements(By.cssSelector("#day-hours .hour-bar"))).hasSize(24);
    browser.screenshotFullPage("venues-phone.png");

    // ---- the poster: the venue's name and a QR that scans back to its token
    driver.findElement(By.cssSelector("#venue-list li button[data-action='poster']")).click();
    wait.until(visibilityOfElementLocated(By.id("poster")));
    new WebDriverWait(driver, java.time.Duration.ofSeconds(20)).until(d ->
        ((Number) ((JavascriptExecutor) d).executeScript("return document.getElementById('poster-qr').naturalWidth")).intValue() > 0);
    assertThat(browser.text("poster-name")).isEqualTo("兰州牛肉面 中山路店");
    assertThat(browser.text("poster-code")).isEqualTo(code);
    assertThat(driver.findElement(By.id("manager-panel")).isDisplayed()).isFalse();
    browser.screenshot("venue-poster-phone.png");
    byte[] qrShot = driver.findElement(By.id("poster-qr")).getScreenshotAs(OutputType.BYTES);
    String scanned = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(
        new BufferedImageLuminanceSource(ImageIO.read(new ByteArrayInputStream(qrShot)))))).getText();
    assertThat(scanned).isEqualTo(token);
    driver.findElement(By.id("poster-close")).click();
    wait.until(visibilityOfElementLocated(By.id("manager-panel")));

    // ---- the same page on a desktop
    try (Browser wide = Browser.start(1366, 900)) {
      wide.driver().get(api().base() + "/venues");
      logIn(wide.driver(), wide.await(), manager);
      wide.await().until(d -> d.findElements(By.cssSelector("#venue-list li")).size() == 1);
      wide.driver().findElement(By.cssSelector("#venue-list li button[data-action='day']")).click();
      wide.await().until(textToBe(By.id("day-total"), "2"));
      wide.screenshot("venues-desktop.png");
      wide.driver().findElement(By.cssSelector("#venue-list li button[data-action='poster']")).click();
      wide.await().until(visibilityOfElementLocated(By.id("poster")));
      wide.screenshot("venue-poster-desktop.png");
    }
  }

  private static void logIn(ChromeDriver driver, WebDriverWait wait, String manager) {
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(manager);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), manager));
  }
}
