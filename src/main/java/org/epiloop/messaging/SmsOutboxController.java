package org.epiloop.messaging;

import io.swagger.v3.oas.annotations.Operation;
import java.time.OffsetDateTime;
import java.util.List;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Phones;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Lets ADMIN read what the development gateway would have sent. */
@RestController
@ConditionalOnBean(DevSmsGateway.class)
class SmsOutboxController {

  private final DevSmsGateway gateway;

  SmsOutboxController(DevSmsGateway gateway) {
    this.gateway = gateway;
  }

  @Operation(summary = "Messages recorded by the development SMS gateway (ADMIN)")
  @GetMapping("/api/v1/admin/sms-outbox")
  @PreAuthorize("hasRole('ADMIN')")
  List<Message> outbox(@RequestParam String phone, @RequestParam(defaultValue = "20") int limit) {
    if (limit < 1 || limit > 200) {
      throw ApiException.badRequest("INVALID_PARAMETER", "limit", "limit must be between 1 and 200");
    }
    return gateway.outbox(Phones.normalize("phone", phone), limit);
  }

  record Message(String text, OffsetDateTime sentAt) {}
}
