package org.epiloop.messaging;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How text messages leave Epiloop ({@code epiloop.sms.*}).
 *
 * @param gateway {@code dev} (messages kept, encrypted, in the database for ADMIN to read; for
 *     development and the demo city) or {@code http} (an SMS provider's HTTP API). Unset: the
 *     development gateway in the demo city, and a refused start otherwise
 *     ({@code EPILOOP_SMS_GATEWAY})
 * @param http the provider's API, required with {@code gateway=http}
 * @param otpPerAddressPerMinute login codes one client address may request per minute (SMS pumping)
 * @param otpPerMinute login codes all clients together may request per minute (SMS pumping)
 */
@Validated
@ConfigurationProperties("epiloop.sms")
public record SmsProperties(
    Gateway gateway,
    @Valid Http http,
    @DefaultValue("10") @Positive int otpPerAddressPerMinute,
    @DefaultValue("600") @Positive int otpPerMinute) {

  /** The gateways there are. */
  public enum Gateway { DEV, HTTP }

  public SmsProperties {
    if (gateway == Gateway.HTTP) {
      if (http == null || http.url() == null || blank(http.keyId()) || blank(http.secret())) {
        throw new IllegalArgumentException("epiloop.sms.gateway=http needs epiloop.sms.http.url, epiloop.sms.http.key-id and "
            + "epiloop.sms.http.secret (EPILOOP_SMS_HTTP_URL, EPILOOP_SMS_HTTP_KEY_ID, EPILOOP_SMS_HTTP_SECRET)");
      }
    }
  }

  /**
   * An SMS provider's HTTP API. Each request and each delivery receipt is signed with
   * HMAC-SHA256 over {@code <timestamp>.<body>} with the shared secret.
   *
   * @param url where messages are posted (JSON: messageId, to, text)
   * @param keyId the API key's id, sent with every request
   * @param secret the API key's secret (at least 16 characters), never sent
   * @param connectTimeout how long to wait for a connection
   * @param timeout how long to wait for an answer
   * @param maxAttempts tries per message (on 5xx and timeouts; a 4xx is final)
   * @param backoff wait before the second try, doubled before each next one
   * @param receiptTolerance how far a receipt's timestamp may be from now
   */
  public record Http(
      URI url,
      String keyId,
      String secret,
      @DefaultValue("2s") Duration connectTimeout,
      @DefaultValue("5s") Duration timeout,
      @DefaultValue("3") int maxAttempts,
      @DefaultValue("250ms") Duration backoff,
      @DefaultValue("5m") Duration receiptTolerance) {

    public Http {
      if (url != null && !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        throw new IllegalArgumentException("epiloop.sms.http.url must be an http(s) URL");
      }
      if (secret != null && !secret.isBlank() && secret.length() < 16) {
        throw new IllegalArgumentException("epiloop.sms.http.secret must have at least 16 characters");
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException("epiloop.sms.http.max-attempts must be between 1 and 10");
      }
      for (Duration d : new Duration[] {connectTimeout, timeout, receiptTolerance}) {
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException("epiloop.sms.http timeouts and tolerance must be positive");
        }
      }
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("epiloop.sms.http.backoff must not be negative");
      }
    }

    @Override
    public String toString() { // never the secret in a log line or an actuator page
      return "Http[url=" + url + ", keyId=" + keyId + ", maxAttempts=" + maxAttempts + "]";
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
