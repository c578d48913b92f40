package org.epiloop.messaging;

import java.time.Clock;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.platform.StartRefused;
import org.epiloop.shared.PiiCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chooses the one SMS gateway and says which at start. The development gateway is never a
 * silent default: it is active in the demo city or when configured. A production start
 * ({@code epiloop.demo=false}) with no gateway configured is refused, because residents
 * could not log in and recall messages would go nowhere — better found at deployment than by
 * the first resident on testing day.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SmsProperties.class)
class SmsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SmsConfiguration.class);

  @Bean
  SmsGateway smsGateway(SmsProperties sms, EpiloopProperties epiloop, JdbcClient jdbc, PiiCrypto crypto, Clock clock,
      JsonMapper json) {
    SmsProperties.Gateway chosen = sms.gateway();
    if (chosen == null && epiloop.demo()) {
      chosen = SmsProperties.Gateway.DEV;
    }
    if (chosen == null) {
      throw new StartRefused("No SMS gateway is configured and this is not the demo city (epiloop.demo=false): residents "
          + "could not log in and recall messages would go nowhere.",
          "Set EPILOOP_SMS_GATEWAY=http with EPILOOP_SMS_HTTP_URL, EPILOOP_SMS_HTTP_KEY_ID and EPILOOP_SMS_HTTP_SECRET "
          + "for the SMS provider, or EPILOOP_SMS_GATEWAY=dev to keep messages (login codes among them) in the database "
          + "for ADMIN to read instead of sending them (development only).");
    }
    return switch (chosen) {
      case DEV -> {
        log.info("SMS gateway: development outbox (messages are kept encrypted in the database for ADMIN to read, "
            + "not sent), {}", sms.gateway() == null ? "as the demo city's default" : "as configured (epiloop.sms.gateway=dev)");
        yield new DevSmsGateway(jdbc, crypto, clock);
      }
      case HTTP -> {
        log.info("SMS gateway: HTTP provider at {} (key id {}, {} attempts per message)", sms.http().url(), sms.http().keyId(),
            sms.http().maxAttempts());
        yield new HttpSmsGateway(sms.http(), jdbc, crypto, clock, json);
      }
    };
  }

  /** A start with another gateway empties the development outbox left by an earlier start. */
  @Bean
  @Order(Ordered.HIGHEST_PRECEDENCE)
  ApplicationRunner purgeDevelopmentOutbox(SmsGateway gateway, JdbcClient jdbc) {
    return args -> {
      if (!(gateway instanceof DevSmsGateway)) {
        int purged = DevSmsGateway.purge(jdbc);
        if (purged > 0) {
          log.info("Deleted {} messages of the development SMS outbox: it is not the active gateway", purged);
        }
      }
    };
  }
}
