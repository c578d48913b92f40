package org.epiloop.feverclinic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.presenceOfElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBePresentInElementLocated;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import org.epiloop.support.Api;
import org.epiloop.support.BrowserTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

/**
 * An official designates a hospital on /hospitals, makes its fever-clinic account under it, and
 * ends the designation with a reason (two taps); the account can then report no new visit (ADR 0035).
 */
class HospitalsPageBrowserTest extends BrowserTest {

  @Test
  void anOfficialDesignatesAHospitalMakesItsAccountAndEndsTheDesignation() throws Exception {
    Corner c = corner();
    String official = unique("off-h").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", official, "password", PASSWORD, "role", "OFFICIAL")), 201);
    String code = unique("H");
    String account = unique("clinic").toLowerCase();
    driver.get("http://localhost:" + port + "/hospitals");
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(official);
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(presenceOfElementLocated(By.cssSelector("#h-district option[value='" + c.district() + "']")));
    driver.findElement(By.id("h-code")).sendKeys(code);
    driver.findElement(By.id("h-name")).sendKeys("宿迁市第二人民医院");
    new Select(driver.findElement(By.id("h-district"))).selectByValue(c.district());
    driver.findElement(By.id("designate")).click();
    wait.until(textToBePresentInElementLocated(By.id("message-text"), "已指定"));
    wait.until(visibilityOfElementLocated(By.id("account-user-" + code))).sendKeys(account);
    driver.findElement(By.id("account-password-" + code)).sendKeys(PASSWORD);
    driver.findElement(By.id("account-create-" + code)).click();
    wait.until(textToBePresentInElementLocated(By.id("hospital-" + code), account));
    Api clinic = api().as(token(account, PASSWORD));
    ok(clinic.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", org.epiloop.support.Ids.next(), "name", "就诊",
        "temperature", 38.1)), 201);
    browser.screenshotFullPage("hospitals-designated-phone.png");

    wait.until(visibilityOfElementLocated(By.id("undesignate-reason-" + code))).sendKeys("门诊搬迁");
    driver.findElement(By.id("undesignate-" + code)).click();
    wait.until(textToBePresentInElementLocated(By.id("undesignate-" + code), "再点一次"));
    driver.findElement(By.id("undesignate-" + code)).click();
    wait.until(textToBePresentInElementLocated(By.id("hospital-" + code), "门诊搬迁"));
    wait.until(visibilityOfElementLocated(By.id("redesignate-" + code)));
    Api.Res refused = clinic.post("/api/v1/fever-clinic/visits", Api.obj("idType", "CN_ID", "idNumber", org.epiloop.support.Ids.next(),
        "name", "就诊", "temperature", 38.1));
    assertThat(refused.code()).isEqualTo("HOSPITAL_NOT_DESIGNATED");
    browser.screenshotFullPage("hospitals-undesignated-phone.png");
  }
}
