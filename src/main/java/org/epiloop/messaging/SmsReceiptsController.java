package org.epiloop.messaging;

import io.swagger.v3.oas.annotations.Operation;
import java.util.UUID;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SMS provider's delivery receipts. Public (the provider has no token) but signed: the
 * raw body is checked against the HMAC before anything in it is believed.
 */
@RestController
class SmsReceiptsController {

  private final SmsGateway gateway;
  private final JsonMapper json;

  SmsReceiptsController(SmsGateway gateway, JsonMapper json) {
    this.gateway = gateway;
    this.json = json;
  }

  @Operation(summary = "Delivery receipt from the SMS provider (public, HMAC-signed: X-Epiloop-Key-Id, X-Epiloop-Timestamp, X-Epiloop-Signature)")
  @PostMapping("/api/v1/sms/receipts")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void receipt(@RequestHeader(name = HttpSmsGateway.KEY_ID, required = false) String keyId,
      @RequestHeader(name = HttpSmsGateway.TIMESTAMP, required = false) String timestamp,
      @RequestHeader(name = HttpSmsGateway.SIGNATURE, required = false) String signature,
      @RequestBody(required = false) byte[] body) {
    if (!(gateway instanceof HttpSmsGateway provider)) {
      throw ApiException.notFound("NO_SMS_PROVIDER", "No SMS provider is configured; there are no receipts to take");
    }
    provider.verify(keyId, timestamp, signature, body == null ? new byte[0] : body);
    JsonNode receipt;
    try {
      receipt = json.readTree(body);
    } catch (JacksonException e) {
      throw ApiException.badRequest("INVALID_RECEIPT", "body", "The receipt is not JSON");
    }
    UUID id;
    try {
      id = UUID.fromString(receipt.path("messageId").asString(""));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_RECEIPT", "messageId", "messageId must be the id of a sent message");
    }
    DeliveryStatus status = switch (receipt.path("status").asString("")) {
      case "DELIVERED" -> DeliveryStatus.DELIVERED;
      case "FAILED" -> DeliveryStatus.FAILED;
      default -> throw ApiException.badRequest("INVALID_RECEIPT", "status", "status must be DELIVERED or FAILED");
    };
    String detail = receipt.path("detail").asString(null);
    provider.receipt(id, status, detail == null ? null : detail.substring(0, Math.min(200, detail.length())));
  }
}
