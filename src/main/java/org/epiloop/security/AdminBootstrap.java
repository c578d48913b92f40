package org.epiloop.security;

import java.security.SecureRandom;
import org.epiloop.platform.EpiloopProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Creates the {@code admin} user on first start, with {@code EPILOOP_ADMIN_PASSWORD} or a
 * generated password printed once to the console.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class AdminBootstrap implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(AdminBootstrap.class);

  private final StaffUsers users;
  private final EpiloopProperties properties;

  AdminBootstrap(StaffUsers users, EpiloopProperties properties) {
    this.users = users;
    this.properties = properties;
  }

  @Override
  public void run(ApplicationArguments args) {
    if (users.exists("admin")) {
      return;
    }
    String password = properties.adminPassword();
    boolean generated = password == null || password.isBlank();
    if (generated) {
      password = generate();
    }
    users.create("admin", password, "ADMIN", null, null);
    if (generated) {
      // Printed to the console on purpose, once: it is the only way to learn it.
      System.out.println("\n  Epiloop created user 'admin' with the generated password: " + password
          + "\n  (set EPILOOP_ADMIN_PASSWORD to choose it; this is shown only once)\n");
    } else {
      log.info("Created user 'admin' with the password from EPILOOP_ADMIN_PASSWORD");
    }
  }

  private static String generate() {
    String alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    SecureRandom random = new SecureRandom();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 16; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
