package org.epiloop.messaging;

import io.swagger.v3.oas.annotations.Operation;
import java.time.OffsetDateTime;
import java.util.List;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Masks;
import org.epiloop.shared.Phones;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets ADMIN read what the development gateway would have sent (login codes among it), audited
 * like any read of personal data. With another gateway there is no outbox: 404.
 */
@RestController
class SmsOutboxController {

  private final SmsGateway gateway;
  private final AuditTrail audit;

  SmsOutboxController(SmsGateway gateway, AuditTrail audit) {
    this.gateway = gateway;
    this.audit = audit;
  }

  @Operation(summary = "Messages recorded by the development SMS gateway (ADMIN, audited)")
  @GetMapping("/api/v1/admin/sms-outbox")
  @PreAuthorize("hasRole('ADMIN')")
  List<Message> outbox(@RequestParam String phone, @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 200) {
      throw ApiException.badRequest("INVALID_PARAMETER", "limit", "limit must be between 1 and 200");
    }
    if (!(gateway instanceof DevSmsGateway dev)) {
      throw ApiException.notFound("NO_SMS_OUTBOX", "The development SMS gateway is not active; messages go to the SMS provider");
    }
    String normalized = Phones.normalize("phone", phone);
    List<Message> messages = dev.outbox(normalized, limit);
    audit.record(Actor.current(), "SMS_OUTBOX_READ", "phone", Masks.phone(normalized), messages.size() + " messages");
    return messages;
  }

  record Message(String text, OffsetDateTime sentAt) {}
}
