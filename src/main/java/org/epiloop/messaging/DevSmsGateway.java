package org.epiloop.messaging;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.epiloop.shared.PiiCrypto;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The development gateway: records messages (phone and text encrypted, since the text may be
 * a login code) instead of sending them. Active in the demo city or when configured
 * ({@code epiloop.sms.gateway=dev}); see {@link SmsConfiguration}.
 */
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
    jdbc.sql("insert into sms_outbox (phone_hash, phone_enc, body_enc, sent_at) values (?, ?, ?, ?)")
        .params(crypto.hash("phone", phone), crypto.encrypt(phone), crypto.encrypt(text), clock.instant().atOffset(ZoneOffset.UTC))
        .update();
  }

  /** The newest messages to a phone, newest first. */
  List<SmsOutboxController.Message> outbox(String phone, int limit) {
    return jdbc.sql("select body_enc, sent_at from sms_outbox where phone_hash = ? order by id desc limit ?")
        .params(crypto.hash("phone", phone), limit)
        .query((rs, n) -> new SmsOutboxController.Message(crypto.decrypt(rs.getBytes("body_enc")), rs.getObject("sent_at", OffsetDateTime.class)))
        .list();
  }

  /** Empties the outbox: a start with another gateway keeps no messages (nor login codes) of the development one. */
  static int purge(JdbcClient jdbc) {
    return jdbc.sql("delete from sms_outbox").update();
  }
}
