package org.epiloop.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Masks;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The development outbox: login codes never in clear in the database, and reading it is audited. */
class SmsOutboxApiTest extends IntegrationTest {

  @Autowired AuditTrail audit;

  @Test
  void codesAreStoredEncryptedAndAnAdminReadingThemIsAudited() {
    String phone = Ids.phone();
    ok(api().post("/api/v1/resident/otp", Api.obj("phone", phone)), 202);
    String code = Residents.lastCode(admin(), phone);
    assertThat(jdbc.sql("select count(*) from sms_outbox where position(convert_to(?, 'UTF8') in body_enc) > 0 "
        + "or position(convert_to(?, 'UTF8') in phone_enc) > 0").params(code, phone).query(Integer.class).single())
        .as("neither the code nor the phone in clear").isZero();
    assertThat(audit.of("phone", Masks.phone(phone))).anySatisfy(e -> {
      assertThat(e.action()).isEqualTo("SMS_OUTBOX_READ");
      assertThat(e.actor()).isEqualTo("admin");
      assertThat(e.detail()).isEqualTo("1 messages");
    });
  }

  @Test
  void receiptsWithoutAProviderAreNotFound() {
    Api.Res r = api().post("/api/v1/sms/receipts", Api.obj("messageId", "x", "status", "DELIVERED"));
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.code()).isEqualTo("NO_SMS_PROVIDER");
  }
}
