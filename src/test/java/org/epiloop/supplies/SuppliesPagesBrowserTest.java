package org.epiloop.supplies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The supplies pages: a collector asks for swabs on the phone-size site page, an official approves
 * and dispatches them on the supplies page (stock leaves the warehouse) and runs a forecast, and
 * the collector receives them (stock arrives at the site).
 */
class SuppliesPagesBrowserTest extends BrowserTest {

  private void login(String username) {
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
  }

  @Test
  void aSiteAsksAnOfficialDispatchesAndTheSiteReceives() throws Exception {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    String w = unique("W");
    ok(official.post("/api/v1/supplies/warehouses", Api.obj("code", w, "name", "市物资仓库", "districtCode", c.district())), 201);
    ok(official.post("/api/v1/supplies/stock/receipts", Api.obj("holderKind", "WAREHOUSE", "holderCode", w, "item", "SWAB", "quantity", 500)), 200);
    String collector = unique("col-sup").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", collector, "password", PASSWORD, "role", "COLLECTOR", "siteCode", c.site())), 201);
    String officialName = unique("off-sup").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", officialName, "password", PASSWORD, "role", "OFFICIAL")), 201);

    driver.get("http://localhost:" + port + "/station/supplies");
    login(collector);
    wait.until(visibilityOfElementLocated(By.id("site-panel")));
    new Select(driver.findElement(By.id("ask-item"))).selectByValue("SWAB");
    driver.findElement(By.id("ask-quantity")).sendKeys("100");
    driver.findElement(By.id("ask-note")).sendKeys("明早开点");
    driver.findElement(By.id("ask-send")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已提交申请"));
    wait.until(textToBePresentInElementLocated(By.id("mine"), "待审批"));
    browser.screenshotFullPage("supplies-site-asked-phone.png");

    browser.resize(1280, 900);
    driver.get("http://localhost:" + port + "/supplies");
    login(officialName);
    wait.until(visibilityOfElementLocated(By.id("supplies-panel")));
    wait.until(presenceOfElementLocated(By.cssSelector("#warehouse option[value='" + w + "']")));
    new Select(driver.findElement(By.id("warehouse"))).selectByValue(w);
    WebElement row = wait.until(presenceOfElementLocated(By.xpath("//tbody[@id='request-rows']/tr[td[1]='" + c.site() + "']")));
    assertThat(row.getText()).contains("采样拭子").contains("100").contains("待审批");
    row.findElement(By.xpath(".//button[contains(., 'Approve')]")).click();
    wait.until(presenceOfElementLocated(By.xpath("//tbody[@id='request-rows']/tr[td[1]='" + c.site() + "' and contains(., '已批准')]")));
    WebElement dispatch = driver.findElement(By.xpath("//tbody[@id='request-rows']/tr[td[1]='" + c.site() + "']//button[contains(., 'Dispatch')]"));
    dispatch.click();
    wait.until(d -> dispatch.getText().contains("确认"));
    dispatch.click();
    wait.until(presenceOfElementLocated(By.xpath("//tbody[@id='request-rows']/tr[td[1]='" + c.site() + "' and contains(., '已发出')]")));
    wait.until(presenceOfElementLocated(By.xpath("//tbody[@id='stock-rows']/tr[td[2]='" + w + "' and td[4]='400']")));

    driver.findElement(By.id("fc-persons")).sendKeys("1000");
    new Select(driver.findElement(By.id("fc-pool"))).selectByValue("10");
    driver.findElement(By.id("fc-sites")).sendKeys(c.site());
    driver.findElement(By.id("fc-labs")).sendKeys(c.lab());
    driver.findElement(By.id("fc-run")).click();
    // 1000 persons: 50 single, 950 in 95 tubes of 10; 145 tubes on 2 plates = 192 reactions
    WebElement swab = wait.until(presenceOfElementLocated(By.xpath("//tbody[@id='forecast-rows']/tr[td[2]='采样拭子']")));
    assertThat(swab.findElements(By.tagName("td")).stream().map(WebElement::getText).toList().subList(2, 5)).isEqualTo(List.of("1000", "0", "1000"));
    WebElement reagent = driver.findElement(By.xpath("//tbody[@id='forecast-rows']/tr[td[2]='检测试剂(人份)']"));
    assertThat(reagent.getText()).contains("192");
    browser.screenshotFullPage("supplies-official-desktop.png");

    browser.resize(390, 844);
    driver.get("http://localhost:" + port + "/station/supplies");
    WebElement received = wait.until(presenceOfElementLocated(By.xpath("//ul[@id='mine']/li[contains(., '已发出')]//button")));
    received.click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已收货"));
    wait.until(textToBePresentInElementLocated(By.id("have"), "采样拭子: 100"));
    browser.screenshotFullPage("supplies-site-received-phone.png");
  }
}
