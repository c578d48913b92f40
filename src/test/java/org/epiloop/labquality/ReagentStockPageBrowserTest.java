package org.epiloop.labquality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Flows;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * A delivery of reagents received on the quality page as the lab director does it, in a real
 * (headless) Chromium: the lot's barcode is scanned into the lot field (the scanner's Enter
 * moves on to the expiry instead of sending a half-filled form); a quantity of 0 is refused by
 * the server and its words, Chinese first, stand under the quantity field; corrected, the lot
 * appears in the stock list with 96 of 96. A run plated on it through the API takes its three
 * reactions (one tube, two controls): 93 of 96 after a refresh. The stock form refuses taking
 * more than is left (422, under its quantity) and takes a restock of 48: 141 of 144. The
 * database is checked directly. Screenshots at desktop and phone size.
 */
class ReagentStockPageBrowserTest extends BrowserTest {

  @Override
  protected Browser openBrowser() throws IOException {
    return Browser.start(1200, 900);
  }

  @Test
  void theDirectorReceivesALotByScanSeesItUsedAndIsToldUnderTheFieldWhatIsWrong() throws IOException {
    Corner corner = corner();
    String lab = corner.lab();
    String director = user("LAB_DIRECTOR", lab);
    Api techApi = api().as(token(user("LAB_TECH", lab), PASSWORD));
    String kit = unique("KIT");
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneId.of("Asia/Shanghai"));

    driver.get(api().base() + "/lab/quality");
    login(director, lab);
    wait.until(visibilityOfElementLocated(By.id("reagent-form")));
    driver.findElement(By.id("r-item")).sendKeys("新冠核酸检测试剂盒 SARS-CoV-2 PCR kit");
    // the lot's barcode, scanned: the Enter at its end moves on to the expiry date (the page calls fetch at once on a submit)
    driver.executeScript("""
        window.posts = 0;
        const send = window.fetch;
        window.fetch = (url, o) => { if (o && o.method === 'POST') window.posts++; return send(url, o); };""");
    driver.findElement(By.id("r-lot")).click();
    browser.scanInto("r-lot", kit);
    browser.awaitFocus("r-expires");
    assertThat(driver.findElement(By.id("r-lot")).getAttribute("value")).isEqualTo(kit);
    assertThat(((Number) driver.executeScript("return window.posts")).intValue()).as("the scan's Enter sent nothing").isZero();
    date("r-expires", today.plusMonths(6));
    driver.findElement(By.id("r-quantity")).sendKeys("0");
    driver.findElement(By.id("r-low")).sendKeys("0");
    driver.findElement(By.cssSelector("#reagent-form button[type=submit]")).click();

    // ---- 400: the server's words under the quantity field, Chinese first; nothing stored
    WebElement error = wait.until(visibilityOfElementLocated(By.id("r-quantity-error")));
    assertThat(error.getAttribute("data-code")).isEqualTo("INVALID_NUMBER");
    assertThat(error.getText()).startsWith("数值无效");
    assertThat(driver.findElement(By.id("r-quantity")).getAttribute("aria-invalid")).isEqualTo("true");
    assertThat((Boolean) driver.executeScript("return document.getElementById('r-quantity').nextElementSibling.id === 'r-quantity-error'"))
        .as("the words stand right under the field").isTrue();
    assertThat(driver.findElement(By.id("message")).getAttribute("data-code")).isEqualTo("INVALID_NUMBER");
    assertThat(((Number) driver.executeScript("return window.posts")).intValue()).isEqualTo(1);
    assertThat(jdbc.sql("select count(*) from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isZero();
    browser.screenshotFullPage("reagent-stock-refused.png");
    browser.screenshotAt("reagent-stock-refused-phone.png", 390, 844);

    // ---- corrected: the words go as the field is typed in, and the lot is in the list with 96 of 96
    WebElement quantity = driver.findElement(By.id("r-quantity"));
    quantity.sendKeys(Keys.BACK_SPACE, "96");
    wait.until(d -> d.findElements(By.id("r-quantity-error")).isEmpty());
    assertThat(quantity.getAttribute("aria-invalid")).isNull();
    driver.findElement(By.id("r-low")).sendKeys(Keys.BACK_SPACE, "10");
    driver.findElement(By.cssSelector("#reagent-form button[type=submit]")).click();
    wait.until(attributeToBe(By.id("message"), "data-code", "ADDED"));
    By row = By.cssSelector("#reagents tr[data-lot='" + kit + "']");
    wait.until(presenceOfElementLocated(row));
    assertThat(driver.findElement(row).getText()).contains("96 / 96").contains(today.plusMonths(6).toString());
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isEqualTo(96);

    // ---- a run plated on the lot (one tube and the two controls) takes three reactions
    List<String> tubes = List.of(Flows.fillTube(corner.collector(), unique("T"), 1).tubeCode());
    String box = unique("B");
    Flows.ship(corner.collector(), api().as(token(user("COURIER", null), PASSWORD)), box, lab, tubes);
    Flows.receive(techApi, lab, box, tubes);
    String run = ok(techApi.post("/api/v1/labs/" + lab + "/runs", Api.obj("plateCode", unique("P"),
        "wells", Plates.wellsJson(Plates.layout(tubes)), "reagentLot", kit)), 201).str("runId");
    ok(techApi.post("/api/v1/runs/" + run + "/results", Map.of("wells", List.of(
        Map.of("well", "A1", "ct", Map.of("IC", 28.0)),
        Map.of("well", "H11", "ct", Map.of("ORF1ab", 27.5, "N", 28.2, "IC", 27.0)),
        Map.of("well", "H12", "ct", Map.of())))), 200);
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isEqualTo(93);
    driver.findElement(By.id("refresh")).click();
    wait.until(textToBePresentInElementLocated(row, "93 / 96"));

    // ---- the stock form: taking more than is left is refused under its quantity (422), a restock is taken
    new Select(driver.findElement(By.id("s-lot"))).selectByValue(kit);
    new Select(driver.findElement(By.id("s-kind"))).selectByValue("CONSUMED");
    driver.findElement(By.id("s-quantity")).sendKeys("500");
    driver.findElement(By.id("s-reason")).sendKeys("超量领用 Too many");
    driver.findElement(By.cssSelector("#stock-form button[type=submit]")).click();
    WebElement short_ = wait.until(visibilityOfElementLocated(By.id("s-quantity-error")));
    assertThat(short_.getAttribute("data-code")).isEqualTo("STOCK_INSUFFICIENT");
    assertThat(short_.getText()).startsWith("库存不足");
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isEqualTo(93);
    browser.screenshotFullPage("reagent-stock-move-refused.png");
    new Select(driver.findElement(By.id("s-kind"))).selectByValue("RESTOCK");
    WebElement moved = driver.findElement(By.id("s-quantity"));
    moved.clear();
    moved.sendKeys("48");
    driver.findElement(By.id("s-reason")).clear();
    driver.findElement(By.cssSelector("#stock-form button[type=submit]")).click();
    wait.until(textToBePresentInElementLocated(row, "141 / 144"));
    assertThat(driver.findElements(By.id("s-quantity-error"))).as("a new request clears the old words").isEmpty();
    wait.until(textToBePresentInElementLocated(By.id("stock-movements"), "+48 → 141"));
    assertThat(jdbc.sql("select remaining from reagent_lots where lot_number = ?").param(kit).query(Integer.class).single()).isEqualTo(141);
    browser.screenshotFullPage("reagent-stock.png");
    browser.screenshotAt("reagent-stock-phone.png", 390, 844);
  }

  /** Sets a date input's value (Chromium's date field takes keys in the page's locale order). */
  private void date(String id, LocalDate d) {
    driver.executeScript("const e = document.getElementById(arguments[0]); e.value = arguments[1];", id,
        d.format(DateTimeFormatter.ISO_LOCAL_DATE));
  }

  private void login(String username, String lab) {
    WebElement name = wait.until(visibilityOfElementLocated(By.id("username")));
    name.clear();
    name.sendKeys(username);
    driver.findElement(By.id("password")).sendKeys(PASSWORD, Keys.ENTER);
    wait.until(textToBe(By.id("lab-code"), lab));
    wait.until(textToBe(By.id("user"), username));
  }

  private String user(String role, String lab) {
    String name = unique(role.toLowerCase().replace('_', '-')).toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role, "labCode", lab)), 201);
    return name;
  }
}
