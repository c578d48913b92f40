package org.epiloop.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.epiloop.platform.EpiloopProperties;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

/** Where generated keys live, and that every key the code asks for is a listed (documented) one. */
class SecretsTest {

  @Test
  void generatedKeysLiveOutsideTheDatabaseDirectoryAndPersist() throws Exception {
    Path data = Files.createTempDirectory("epiloop-secrets-");
    Secrets secrets = new Secrets(properties(data), new MockEnvironment());
    byte[] venue = secrets.key("venue");
    assertThat(secrets.file()).isEqualTo(data.resolve("secrets.properties")).exists();
    assertThat(secrets.file().startsWith(data.resolve("pg"))).isFalse();
    assertThat(new Secrets(properties(data), new MockEnvironment()).key("venue")).isEqualTo(venue);
  }

  @Test
  void aConfiguredSecretsFileReceivesTheKeysOfAnEarlierStart() throws Exception {
    Path data = Files.createTempDirectory("epiloop-secrets-");
    byte[] pii = new Secrets(properties(data), new MockEnvironment()).key("pii-hash");
    Path elsewhere = Files.createTempDirectory("epiloop-keys-").resolve("keys/secrets.properties");
    Secrets moved = new Secrets(properties(data), new MockEnvironment().withProperty("epiloop.secrets-file", elsewhere.toString()));
    assertThat(moved.key("pii-hash")).isEqualTo(pii);
    assertThat(elsewhere).exists();
    assertThat(data.resolve("secrets.properties")).doesNotExist();
  }

  @Test
  void aSecretsFileInsideTheDatabaseDirectoryIsRefused() throws Exception {
    Path data = Files.createTempDirectory("epiloop-secrets-");
    MockEnvironment env = new MockEnvironment().withProperty("epiloop.secrets-file", data.resolve("pg/secrets.properties").toString());
    assertThatThrownBy(() -> new Secrets(properties(data), env)).hasMessageContaining("must not be inside the database directory");
  }

  @Test
  void aKeyThatIsNotListedIsRefused() throws Exception {
    Secrets secrets = new Secrets(properties(Files.createTempDirectory("epiloop-secrets-")), new MockEnvironment());
    assertThatThrownBy(() -> secrets.key("unlisted")).hasMessageContaining("Secrets.KEYS");
    assertThat(Secrets.KEYS).extracting(Secrets::variable).containsExactly("EPILOOP_SECRETS_PII_ENCRYPTION", "EPILOOP_SECRETS_PII_HASH",
        "EPILOOP_SECRETS_STAFF_TOKEN", "EPILOOP_SECRETS_APPOINTMENT", "EPILOOP_SECRETS_VENUE", "EPILOOP_SECRETS_CERTIFICATE");
  }

  @Test
  void withAnExternalDatabaseEveryKeyMustBeConfigured() throws Exception {
    Path data = Files.createTempDirectory("epiloop-secrets-");
    MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:postgresql://db/epiloop")
        .withProperty("epiloop.secrets.pii-encryption", key()).withProperty("epiloop.secrets.pii-hash", key())
        .withProperty("epiloop.secrets.staff-token", key()).withProperty("epiloop.secrets.appointment", key());
    assertThatThrownBy(() -> new Secrets(properties(data), env))
        .hasMessageContaining("Missing: EPILOOP_SECRETS_VENUE (epiloop.secrets.venue)").hasMessageNotContaining("PII_HASH");
    env.setProperty("epiloop.secrets.venue", key());
    env.setProperty("epiloop.secrets.certificate", key());
    assertThat(new Secrets(properties(data), env).key("venue")).hasSize(32);
    assertThat(data.resolve("secrets.properties")).as("nothing generated").doesNotExist();
  }

  private static String key() {
    byte[] k = new byte[32];
    new java.security.SecureRandom().nextBytes(k);
    return java.util.Base64.getEncoder().encodeToString(k);
  }

  private static EpiloopProperties properties(Path data) {
    return new EpiloopProperties(data, null, false, 0, Duration.ofHours(12), Duration.ofHours(24), ZoneId.of("Asia/Shanghai"));
  }
}
