package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.ApiException;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** The password rules (ASVS 2.1) and the bootstrap's refusal of a weak configured admin password. */
class PasswordPolicyTest {

  private static final PasswordPolicy POLICY = new PasswordPolicy();

  @Test
  void theBundledListIsLoaded() {
    assertThat(POLICY.size()).isGreaterThan(40_000);
  }

  @Test
  void commonPasswordsAndTheirDecoratedFormsAreRefused() {
    for (String p : new String[] {"1qaz2wsx3edc", "123456654321", "QazWsxEdcRfv", "PASSWORD1234", "password-123", "!!dragon2024!!", "Iloveyou12345"}) {
      ApiException e = catchThrowableOfType(ApiException.class, () -> POLICY.check("password", p));
      assertThat(e).as(p).isNotNull();
      assertThat(e.code()).isEqualTo("WEAK_PASSWORD");
      assertThat(e.field()).isEqualTo("password");
    }
  }

  @Test
  void lengthIsAtLeastTwelveCharactersAndAtMost72Bytes() {
    assertThat(catchThrowableOfType(ApiException.class, () -> POLICY.check("password", "k7#mQ2vX9pL")).code()).isEqualTo("WEAK_PASSWORD");
    assertThatCode(() -> POLICY.check("password", "k7#mQ2vX9pLw")).doesNotThrowAnyException();
    // characters, not bytes, count towards the minimum; bytes towards bcrypt's maximum
    assertThatCode(() -> POLICY.check("password", "核酸检测采样点的密码十二")).doesNotThrowAnyException();
    assertThat(catchThrowableOfType(ApiException.class, () -> POLICY.check("password", "x".repeat(73))).code()).isEqualTo("PASSWORD_TOO_LONG");
    assertThat(catchThrowableOfType(ApiException.class, () -> POLICY.check("password", null)).code()).isEqualTo("FIELD_REQUIRED");
  }

  @Test
  void thePasswordsTheTestsAndTheDemoUseAreAccepted() {
    for (String p : new String[] {IntegrationTest.PASSWORD, IntegrationTest.ADMIN_PASSWORD, "epiloop-demo"}) {
      assertThatCode(() -> POLICY.check("password", p)).as(p).doesNotThrowAnyException();
    }
  }

  @Test
  void theBootstrapRefusesToStartWithAWeakConfiguredAdminPassword() {
    for (String weak : new String[] {"admin", "password-123", "admin1234567"}) {
      AdminBootstrap bootstrap = new AdminBootstrap(null, POLICY, properties(weak), "", null, null);
      assertThat(catchThrowableOfType(IllegalStateException.class, () -> bootstrap.run(null)))
          .as(weak).hasMessageContaining("EPILOOP_ADMIN_PASSWORD");
    }
  }

  @Test
  void theBootstrapRefusesAMalformedConfiguredTotpSecret() {
    AdminBootstrap bootstrap = new AdminBootstrap(null, POLICY, properties(IntegrationTest.ADMIN_PASSWORD), "not base32!", null, null);
    assertThat(catchThrowableOfType(IllegalStateException.class, () -> bootstrap.run(null)))
        .hasMessageContaining("EPILOOP_ADMIN_TOTP_SECRET");
  }

  private static EpiloopProperties properties(String adminPassword) {
    return new EpiloopProperties(Path.of("target/unused"), adminPassword, false, 0, Duration.ofHours(12), Duration.ofHours(24),
        ZoneId.of("Asia/Shanghai"));
  }
}
