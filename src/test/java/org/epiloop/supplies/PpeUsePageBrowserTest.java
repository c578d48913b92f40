package org.epiloop.supplies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A collector records the shift's PPE on the phone-size site supplies page and sees the site's
 * stock drop by exactly that; too many is refused in words and the stock stays (ADR 0035).
 */
class PpeUsePageBrowserTest extends BrowserTest {

  @Test
  void aCollectorRecordsTheShiftsPpeAndSeesTheStockDrop() throws Exception {
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    ok(official.post("/api/v1/supplies/stock/receipts", Api.obj("holderKind", "SITE", "holderCode", c.site(), "item", "PPE_SET",
        "quantity", 40)), 200);
    String collector = unique("col-ppe").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", collector, "password", PASSWORD, "role", "COLLECTOR", "siteCode", c.site())), 201);

    browser.resize(390, 844);
    driver.get("http://localhost:" + port + "/station/supplies");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(collector);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(visibilityOfElementLocated(By.id("site-panel")));
    wait.until(textToBePresentInElementLocated(By.id("have-PPE_SET"), "防护用品(套): 40"));

    driver.findElement(By.id("ppe-quantity")).sendKeys("7");
    driver.findElement(By.id("ppe-note")).sendKeys("早班");
    driver.findElement(By.id("ppe-send")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已登记，库存已扣减"));
    wait.until(textToBePresentInElementLocated(By.id("have-PPE_SET"), "防护用品(套): 33"));
    assertThat(driver.findElement(By.id("ppe-left")).getText()).contains("33");
    wait.until(presenceOfElementLocated(By.xpath("//ul[@id='ppe-uses']/li[contains(., '× 7') and contains(., '早班')]")));
    assertThat(jdbc.sql("select quantity from supply_stock where holder_kind = 'SITE' and holder_code = ? and item = 'PPE_SET'")
        .param(c.site()).query(Long.class).single()).isEqualTo(33);
    browser.screenshotFullPage("ppe-use-recorded-phone.png");

    // more than is left: refused in words, nothing taken
    driver.findElement(By.id("ppe-quantity")).sendKeys("34");
    driver.findElement(By.id("ppe-send")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "库存不足"));
    assertThat(driver.findElement(By.id("have-PPE_SET")).getText()).contains("33");
    assertThat(jdbc.sql("select count(*) from supply_ppe_uses where site_code = ?").param(c.site()).query(Long.class).single()).isEqualTo(1);
    browser.screenshotFullPage("ppe-use-refused-phone.png");
  }
}
