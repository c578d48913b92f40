package org.epiloop.messaging;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.PiiCrypto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends through an SMS provider's HTTP API. Each message gets an id before the first request;
 * the id is in the body and the {@code Idempotency-Key} header of every try, so a try whose
 * answer was lost (a timeout, a 5xx after the provider queued it) is not sent twice. Tries
 * are repeated with doubling backoff on 5xx and timeouts, not on 4xx (the request itself is
 * wrong and would be refused again). A message that cannot be handed over fails loudly: the
 * caller gets 502/503 and the resident asks again.
 *
 * <p>Requests and the provider's delivery receipts are signed alike: {@link #KEY_ID},
 * {@link #TIMESTAMP} (epoch seconds) and {@link #SIGNATURE}, the hex HMAC-SHA256 with the
 * shared secret over {@code <timestamp>.<body>}. The phone and text are never logged.
 */
class HttpSmsGateway implements SmsGateway {

  static final String KEY_ID = "X-Epiloop-Key-Id";
  static final String TIMESTAMP = "X-Epiloop-Timestamp";
  static final String SIGNATURE = "X-Epiloop-Signature";

  private static final Logger log = LoggerFactory.getLogger(HttpSmsGateway.class);

  private final SmsProperties.Http config;
  private final JdbcClient jdbc;
  private final PiiCrypto crypto;
  private final Clock clock;
  private final JsonMapper json;
  private final HttpClient http;

  HttpSmsGateway(SmsProperties.Http config, JdbcClient jdbc, PiiCrypto crypto, Clock clock, JsonMapper json) {
    this.config = config;
    this.jdbc = jdbc;
    this.crypto = crypto;
    this.clock = clock;
    this.json = json;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
  }

  @Override
  public void send(String phone, String text) {
    UUID id = UUID.randomUUID();
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("messageId", id.toString());
    message.put("to", "+86" + phone);
    message.put("text", text);
    byte[] body = json.writeValueAsBytes(message);
    Instant now = clock.instant();
    // in the caller's transaction (no second connection per send): a receipt that arrives
    // before the caller commits waits for this row (see receipt), and a send that fails rolls
    // back with whatever asked for it
    jdbc.sql("insert into sms_messages (message_id, phone_hash, status, attempts, created_at, status_at) values (?, ?, 'SENDING', 0, ?, ?)")
        .params(id, crypto.hash("phone", phone), now.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC)).update();
    Duration wait = config.backoff();
    String problem = null;
    for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
      if (attempt > 1) {
        pause(wait);
        wait = wait.multipliedBy(2);
      }
      int status;
      try {
        status = post(id, body);
      } catch (IOException e) {
        problem = e.getClass().getSimpleName();
        log.warn("SMS {}: try {} of {} failed: {}", id, attempt, config.maxAttempts(), problem);
        continue;
      }
      if (status >= 200 && status < 300) {
        update(id, DeliveryStatus.SENT, attempt, null);
        return;
      }
      if (status < 500) {
        update(id, DeliveryStatus.FAILED, attempt, "refused: HTTP " + status);
        log.warn("SMS {}: the provider refused it with HTTP {}; not retried", id, status);
        throw new ApiException(HttpStatus.BAD_GATEWAY, "SMS_REJECTED", "The SMS provider refused the message", null);
      }
      problem = "HTTP " + status;
      log.warn("SMS {}: try {} of {} answered HTTP {}", id, attempt, config.maxAttempts(), status);
    }
    update(id, DeliveryStatus.FAILED, config.maxAttempts(), "unreachable: " + problem);
    throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SMS_UNAVAILABLE",
        "The text message could not be sent; try again shortly", null, Duration.ofSeconds(30));
  }

  private int post(UUID id, byte[] body) throws IOException {
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest request = HttpRequest.newBuilder(config.url())
        .timeout(config.timeout())
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", id.toString())
        .header(KEY_ID, config.keyId())
        .header(TIMESTAMP, timestamp)
        .header(SIGNATURE, sign(timestamp, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** The hex HMAC-SHA256 of {@code <timestamp>.<body>} with the shared secret. */
  String sign(String timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(config.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(timestamp.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) '.');
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks a receipt's key id, signature and freshness (a recorded receipt replayed later is
   * refused), or 401 {@code INVALID_SIGNATURE}.
   */
  void verify(String keyId, String timestamp, String signature, byte[] body) {
    long seconds;
    try {
      seconds = Long.parseLong(timestamp == null ? "" : timestamp.strip());
    } catch (NumberFormatException e) {
      throw invalidSignature();
    }
    boolean fresh = Duration.between(Instant.ofEpochSecond(seconds), clock.instant()).abs().compareTo(config.receiptTolerance()) <= 0;
    boolean signed = signature != null && MessageDigest.isEqual(
        sign(Long.toString(seconds), body).getBytes(StandardCharsets.US_ASCII), signature.strip().toLowerCase().getBytes(StandardCharsets.US_ASCII));
    if (!config.keyId().equals(keyId) || !fresh || !signed) {
      throw invalidSignature();
    }
  }

  /**
   * Records a receipt's final status. An upsert, because a receipt can overtake the commit of
   * the request that sent the message: the insert then waits on that uncommitted row and
   * updates it once it is committed. A receipt for a message whose sending rolled back (or
   * that this database never saw) is still recorded: the provider did send it.
   */
  void receipt(UUID id, DeliveryStatus status, String detail) {
    var now = clock.instant().atOffset(ZoneOffset.UTC);
    jdbc.sql("""
            insert into sms_messages (message_id, phone_hash, status, attempts, created_at, status_at, detail)
            values (:id, null, :status, 0, :now, :now, :detail)
            on conflict (message_id) do update set status = excluded.status, status_at = excluded.status_at, detail = excluded.detail""")
        .param("id", id).param("status", status.name()).param("now", now).param("detail", detail).update();
  }

  private void update(UUID id, DeliveryStatus to, int attempts, String detail) {
    // the status only moves on from SENDING: a receipt may already hold the final one
    jdbc.sql("""
            update sms_messages set attempts = :attempts,
              status = case when status = 'SENDING' then :to else status end,
              status_at = case when status = 'SENDING' then :now else status_at end,
              detail = case when status = 'SENDING' then coalesce(:detail, detail) else detail end
            where message_id = :id""")
        .param("attempts", attempts).param("to", to.name()).param("now", clock.instant().atOffset(ZoneOffset.UTC))
        .param("detail", detail).param("id", id).update();
  }

  private static void pause(Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SMS_UNAVAILABLE", "The text message could not be sent; try again shortly",
          null, Duration.ofSeconds(30));
    }
  }

  private static ApiException invalidSignature() {
    return new ApiException(HttpStatus.UNAUTHORIZED, "INVALID_SIGNATURE", "The receipt's signature, key id or timestamp is not valid", null);
  }
}
