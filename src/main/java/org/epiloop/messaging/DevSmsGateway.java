package org.epiloop.messaging;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import org.epiloop.shared.PiiCrypto;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The development gateway: records messages (phone encrypted) instead of sending them. Active
 * unless {@code epiloop.sms.gateway} names another gateway.
 */
@Component
@ConditionalOnProperty(name = "epiloop.sms.gateway", havingValue = "dev", matchIfMissing = true)
class DevSmsGateway implements SmsGateway {

  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final Clock clock;

  DevSmsGateway(JdbcClient jdbc, PiiCrypto crypto, Clock clock) {
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.clock = clock;
  }

  @Override
  public void send(String phone, String text) {
    jdbc.sql("insert into sms_outbox (phone_hash, phone_enc, body, sent_at) values (?, ?, ?, ?)")
        .params(crypto.hash("phone", phone), crypto.encrypt(phone), text, clock.instant().atOffset(ZoneOffset.UTC))
        .update();
  }

  /** The newest messages to a phone, newest first. */
  List<SmsOutboxController.Message> outbox(String phone, int limit) {
    return jdbc.sql("select body, sent_at from sms_outbox where phone_hash = ? order by id desc limit ?")
        .params(crypto.hash("phone", phone), limit)
        .query((rs, n) -> new SmsOutboxController.Message(rs.getString("body"), rs.getObject("sent_at", java.time.OffsetDateTime.class)))
        .list();
  }
}
