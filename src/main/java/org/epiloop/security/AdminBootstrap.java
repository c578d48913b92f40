package org.epiloop.security;

import java.security.SecureRandom;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Creates the {@code admin} user on first start, with {@code EPILOOP_ADMIN_PASSWORD} or a
 * generated password, and its second factor's TOTP secret from {@code EPILOOP_ADMIN_TOTP_SECRET}
 * (Base32) or generated; what was generated is printed once to the console. A configured
 * password that the password policy refuses stops the start. An ADMIN account without a second
 * factor (made before there was one) gets one now, printed once the same way.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final StaffUsers users;
  private final PasswordPolicy policy;
  private final EpiloopProperties properties;
  private final String configuredTotpSecret;
  private final TransactionTemplate transaction;
  private final JdbcClient jdbc;

  AdminBootstrap(StaffUsers users, PasswordPolicy policy, EpiloopProperties properties,
      @Value("${epiloop.admin-totp-secret:}") String configuredTotpSecret, PlatformTransactionManager transactions, JdbcClient jdbc) {
    this.users = users;
    this.policy = policy;
    this.properties = properties;
    this.configuredTotpSecret = configuredTotpSecret;
    this.transaction = new TransactionTemplate(transactions);
    this.jdbc = jdbc;
  }

  /**
   * Under a database lock: copies of the application starting together on one database would
   * otherwise each find no {@code admin}, and all but one fail to start on the duplicate
   * (ADR 0022). The others wait for the first and then find {@code admin} there.
   */
  @Override
  public void run(ApplicationArguments args) {
    String password = properties.adminPassword();
    boolean generatedPassword = password == null || password.isBlank();
    if (!generatedPassword) {
      try {
        policy.check("password", password);
      } catch (ApiException e) {
        throw new IllegalStateException("EPILOOP_ADMIN_PASSWORD is refused: " + e.getMessage()
            + ". Choose a longer, uncommon one (or leave it unset to have one generated).");
      }
    }
    boolean generatedSecret = configuredTotpSecret == null || configuredTotpSecret.isBlank();
    if (!generatedSecret && (Totp.decode(configuredTotpSecret) == null || Totp.decode(configuredTotpSecret).length < 16)) {
      throw new IllegalStateException("EPILOOP_ADMIN_TOTP_SECRET must be Base32 (A-Z, 2-7) of at least 128 bits (26 characters)");
    }
    String checkedPassword = password;
    transaction.executeWithoutResult(tx -> {
      jdbc.sql("select pg_advisory_xact_lock(hashtext('epiloop.admin_bootstrap'))").query((rs, i) -> 1).list();
      bootstrap(checkedPassword, generatedPassword, generatedSecret);
    });
  }

  private void bootstrap(String password, boolean generatedPassword, boolean generatedSecret) {
    if (!users.exists("admin")) {
      if (generatedPassword) {
        do {
          password = generate();
        } while (policy.isCommon(password));
      }
      String secret = generatedSecret ? Totp.newSecret() : configuredTotpSecret.strip().toUpperCase(java.util.Locale.ROOT);
      users.enrol("admin", password, "ADMIN", null, null, secret);
      // Printed to the console on purpose, once: it is the only way to learn them.
      StringBuilder msg = new StringBuilder("\n  Epiloop created user 'admin'");
      if (generatedPassword) {
        msg.append(" with the generated password: ").append(password)
            .append("\n  (set EPILOOP_ADMIN_PASSWORD to choose it; this is shown only once)");
      } else {
        msg.append(" with the password from EPILOOP_ADMIN_PASSWORD.");
      }
      if (generatedSecret) {
        msg.append(secondFactor("admin", secret));
      }
      System.out.println(msg.append('\n'));
      log.info("Created user 'admin' (password {}, TOTP secret {})", generatedPassword ? "generated" : "configured",
          generatedSecret ? "generated" : "from EPILOOP_ADMIN_TOTP_SECRET");
    }
    for (String admin : users.adminsWithoutTotp()) {
      String secret = Totp.newSecret();
      users.setTotpSecret(admin, secret);
      System.out.println("\n  ADMIN '" + admin + "' had no second factor; it has one now." + secondFactor(admin, secret) + "\n");
      log.info("Gave ADMIN {} a TOTP secret", admin);
    }
  }

  private static String secondFactor(String username, String secret) {
    return "\n  Its second factor (TOTP), for an authenticator app (shown only once):"
        + "\n    secret " + secret
        + "\n    " + Totp.uri(username, secret)
        + "\n  Log in with the password and the app's current 6-digit code.";
  }

  private static String generate() {
    String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
