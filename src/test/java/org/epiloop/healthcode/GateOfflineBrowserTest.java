package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.openqa.selenium.support.ui.ExpectedConditions.attributeToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.textToBe;
import static org.openqa.selenium.support.ui.ExpectedConditions.visibilityOfElementLocated;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.epiloop.shared.ProblemCode;
import org.epiloop.support.Api;
import org.epiloop.support.Browser;
import org.epiloop.support.BrowserTest;
import org.epiloop.support.Ids;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The venue gate with its network cut (H3, issue 14 done-criterion e), in a real headless Chromium
 * against the whole application: the page fetched the public keys while online; with the network
 * cut (chromedriver's network conditions) it admits a genuine green code by its signature alone,
 * marked "verified offline", and refuses a code signed with another key under the real key id, an
 * edited one, an expired one, one naming another algorithm, one under an unknown key id, and a
 * genuine red one. When the network returns, the queued scans reach the server, which checks
 * each again. A second run does the same at desktop size on a browser whose WebCrypto has no
 * Ed25519, so the signatures are checked by tweetnacl from the jar.
 */
class GateOfflineBrowserTest extends BrowserTest {

  /** Hides WebCrypto's Ed25519 from the page, as on an older browser or a plain-http page. */
  private static final String NO_WEBCRYPTO_ED25519 = """
      (() => {
        const s = window.crypto && crypto.subtle;
        if (!s) return;
        const importKey = s.importKey.bind(s);
        s.importKey = (format, key, alg, ...rest) => {
          const name = typeof alg === 'string' ? alg : alg && alg.name;
          return String(name).toLowerCase() === 'ed25519'
            ? Promise.reject(new DOMException('Unrecognized algorithm name', 'NotSupportedError'))
            : importKey(format, key, alg, ...rest);
        };
      })();""";

  private final boolean desktop;

  GateOfflineBrowserTest(TestInfo test) {
    this.desktop = test.getTestMethod().map(m -> m.getName().contains("Desktop")).orElse(false);
  }

  @Override
  protected Browser openBrowser() throws IOException {
    return desktop ? Browser.start(1280, 800) : Browser.phone();
  }

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  private record Codes(String district, String manager) {}

  private record Person(Api resident, String personId, String token) {

    /** The person's code as their phone shows it now. */
    String freshToken() {
      return ok(resident.get("/api/v1/resident/persons/" + personId + "/health-code"), 200).str("token");
    }
  }

  private Codes venue() {
    String district = unique("D");
    ok(admin().post("/api/v1/districts", Api.obj("code", district, "name", "区 " + district)), 201);
    String manager = unique("gate-offline").toLowerCase();
    ok(admin().post("/api/v1/admin/users", Api.obj("username", manager, "password", PASSWORD, "role", "VENUE_MANAGER")), 201);
    return new Codes(district, manager);
  }

  private Person person(String district, String name) {
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String id = Residents.addNewPerson(resident, admin(), Ids.next(), name, district);
    return new Person(resident, id, ok(resident.get("/api/v1/resident/persons/" + id + "/health-code"), 200).str("token"));
  }

  /** Logs in at /gate and waits until the page holds the public keys and knows how it checks signatures. */
  private void openGate(String manager, String engine) {
    driver.get(api().base() + "/gate");
    // a wrong password first: the page has no words of its own for BAD_CREDENTIALS, so they
    // come from the server's table of codes (/js/messages.js, made from ProblemCode)
    wait.until(visibilityOfElementLocated(By.id("username"))).sendKeys(manager);
    driver.findElement(By.id("password")).sendKeys("not-the-password");
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("login-error"), ProblemCode.BAD_CREDENTIALS.zh() + "。" + ProblemCode.BAD_CREDENTIALS.en()));
    driver.findElement(By.id("password")).clear();
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login")).click();
    wait.until(textToBe(By.id("user"), manager));
    browser.awaitFocus("scan");
    wait.until(d -> !"0".equals(attr("offline-status", "data-keys")));
    wait.until(attributeToBe(By.id("offline-status"), "data-engine", engine));
  }

  private void networkCut(boolean cut) {
    ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
    conditions.setOffline(cut);
    driver.setNetworkConditions(conditions);
  }

  private int seq;

  /** The answer on the screen: the verdict panel's data attributes and its lines. */
  private record Answer(String verdict, String color, String mode, String reason, String line, String name, String note) {}

  /**
   * Scans a code and waits for its answer, read in one step as soon as it shows (it clears itself
   * after a few seconds for the next person).
   */
  @SuppressWarnings("unchecked")
  private Answer scan(String token) {
    browser.scanInto("scan", token);
    seq++;
    Map<String, String> a = (Map<String, String>) wait.until(d -> driver.executeScript("""
        const v = document.getElementById('verdict');
        if (v.dataset.seq !== arguments[0]) return null;
        const t = (id) => document.getElementById(id).textContent;
        return {verdict: v.dataset.verdict, color: v.dataset.color, mode: v.dataset.mode, reason: v.dataset.reason,
                line: t('verdict-color'), name: t('verdict-name'), note: t('verdict-note')};""", String.valueOf(seq)));
    return new Answer(a.get("verdict"), a.get("color"), a.get("mode"), a.get("reason"), a.get("line"), a.get("name"), a.get("note"));
  }

  @Test
  void withTheNetworkCutAGenuineGreenCodeIsAdmittedByItsSignatureForgedAndExpiredOnesRefusedAndTheScansSentLater() throws IOException {
    Codes v = venue();
    Person green = person(v.district(), "离线绿");
    Person red = person(v.district(), "离线红");
    ok(staff("OFFICIAL", null, null).post("/api/v1/health-codes/overrides", Api.obj("personId", red.personId(), "color", "RED",
        "reason", "密接 Close contact", "hours", 24)), 200);
    String redToken = red.freshToken(); // signed RED
    // a code signed ten minutes ago by the server's clock: expired three minutes later
    clock.advance(Duration.ofMinutes(-10));
    Person old = person(v.district(), "过期码");
    clock.reset();

    openGate(v.manager(), "webcrypto");
    browser.screenshot("gate-offline-ready.png");
    networkCut(true);

    // ---- a genuine green code: admitted by its signature, marked offline, with its age
    Answer admitted = scan(green.token());
    browser.screenshot("gate-offline-admit.png");
    assertThat(admitted).extracting(Answer::verdict, Answer::mode, Answer::color, Answer::line, Answer::name)
        .containsExactly("ADMIT", "OFFLINE", "GREEN", "绿码 GREEN", "离*绿");
    assertThat(admitted.note()).contains("离线验证：签发时为绿码").containsPattern("Verified offline: GREEN as signed, issued \\d+ s ago");

    // ---- forged and broken codes are refused, each for its reason
    record Refusal(String what, String token, String reason) {}
    List<Refusal> refusals = List.of(
        new Refusal("signed with another Ed25519 key under the real kid", Forgeries.signedWithAnotherKey(green.token()), "BAD_SIGNATURE"),
        new Refusal("a red code edited to green", Forgeries.payloadEdited(redToken, "\"col\":\"RED\"", "\"col\":\"GREEN\""), "BAD_SIGNATURE"),
        new Refusal("expired", old.token(), "EXPIRED"),
        new Refusal("another algorithm named", Forgeries.headerAlgorithm(green.token(), "HS256"), "BAD_ALGORITHM"),
        new Refusal("an unknown key id", Forgeries.signedWithAnotherKey("not-an-epiloop-key", claims(green.token())), "UNKNOWN_KEY"));
    for (Refusal r : refusals) {
      Answer a = scan(r.token());
      if (r.reason().equals("BAD_SIGNATURE")) {
        browser.screenshot("gate-offline-forged.png");
        assertThat(a.line()).contains("Forged or altered code");
      }
      if (r.reason().equals("EXPIRED")) {
        browser.screenshot("gate-offline-expired.png");
        assertThat(a.line()).contains("Expired code");
      }
      assertThat(a).as(r.what()).extracting(Answer::verdict, Answer::color, Answer::reason, Answer::mode, Answer::name)
          .containsExactly("DENY", "INVALID", r.reason(), "OFFLINE", "");
    }

    // ---- a genuine red code: refused, red as signed
    Answer red1 = scan(redToken);
    assertThat(red1).extracting(Answer::verdict, Answer::color, Answer::mode).containsExactly("DENY", "RED", "OFFLINE");
    assertThat(red1.note()).contains("Verified offline: RED as signed");
    assertThat(attr("offline-status", "data-online")).isEqualTo("false");
    assertThat(attr("offline-status", "data-pending")).isEqualTo("7");
    assertThat(browser.text("offline-status")).contains("Offline: checked by signature").contains("To send: 7");
    assertThat(browser.text("tally-admit")).isEqualTo("1");
    assertThat(browser.text("tally-deny")).isEqualTo("6");
    assertThat(count(v.manager())).as("nothing reached the server while offline").isZero();

    // ---- the network returns: the queue is sent, and the server checked each scan again
    networkCut(false);
    new WebDriverWait(driver, Duration.ofSeconds(40)).withMessage("the offline scans are sent")
        .until(d -> "0".equals(attr("offline-status", "data-pending")));
    assertThat(count(v.manager())).isEqualTo(7);
    List<String> rows = new ArrayList<>(jdbc.sql("""
            select verdict || ' ' || coalesce(reason, '-') || ' ' || genuine || ' ' || coalesce(person_id::text, '-') || ' '
                   || coalesce(signed_color, '-')
            from offline_scans where synced_by = ? order by scanned_at, scan_id""")
        .param(v.manager()).query(String.class).list());
    assertThat(rows).containsExactlyInAnyOrder(
        "ADMITTED - true " + green.personId() + " GREEN",
        "REFUSED BAD_SIGNATURE false - -",
        "REFUSED BAD_SIGNATURE false - -",
        "REFUSED EXPIRED false - -",
        "REFUSED BAD_ALGORITHM false - -",
        "REFUSED UNKNOWN_KEY false - -",
        "REFUSED NOT_GREEN true " + red.personId() + " RED");
    assertThat(rows.get(0)).as("in scan order").startsWith("ADMITTED");
    wait.until(d -> !driver.findElement(By.id("offline-status")).isDisplayed());

    // ---- and codes are checked online again: the current colour
    assertThat(scan(green.token())).extracting(Answer::verdict, Answer::mode).containsExactly("ADMIT", "ONLINE");
    browser.screenshot("gate-online-again.png");
  }

  @Test
  void onADesktopBrowserWithoutWebCryptoEd25519TweetnaclChecksTheSignatures() throws IOException {
    driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", NO_WEBCRYPTO_ED25519));
    Codes v = venue();
    Person green = person(v.district(), "桌面绿");

    openGate(v.manager(), "tweetnacl");
    networkCut(true);
    Answer admitted = scan(green.token());
    browser.screenshot("gate-offline-admit-desktop.png");
    assertThat(admitted).extracting(Answer::verdict, Answer::mode).containsExactly("ADMIT", "OFFLINE");
    assertThat(admitted.note()).containsPattern("Verified offline: GREEN as signed, issued \\d+ s ago");
    Answer forged = scan(Forgeries.signedWithAnotherKey(green.token()));
    browser.screenshot("gate-offline-forged-desktop.png");
    assertThat(forged).extracting(Answer::verdict, Answer::reason).containsExactly("DENY", "BAD_SIGNATURE");

    networkCut(false);
    new WebDriverWait(driver, Duration.ofSeconds(40)).withMessage("the offline scans are sent")
        .until(d -> "0".equals(attr("offline-status", "data-pending")));
    assertThat(count(v.manager())).isEqualTo(2);
  }

  private static com.nimbusds.jwt.JWTClaimsSet claims(String token) {
    try {
      return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet();
    } catch (java.text.ParseException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private long count(String manager) {
    return jdbc.sql("select count(*) from offline_scans where synced_by = ?").param(manager).query(Long.class).single();
  }

  private String attr(String id, String name) {
    return driver.findElement(By.id(id)).getDomAttribute(name);
  }
}
