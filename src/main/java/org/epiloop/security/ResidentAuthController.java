package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import org.epiloop.messaging.SmsProperties;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.ClientAddress;
import org.epiloop.shared.Phones;
import org.epiloop.shared.RateLimits;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The residents' one-time-code login. */
@RestController
class ResidentAuthController {

  private final ResidentLogin login;
  private final Tokens tokens;
  private final EpiloopProperties properties;
  private final RateLimits limits;
  private final ClientAddress clients;
  // SMS pumping: besides the per-phone limits of ResidentLogin, codes per client address and
  // for everyone together, so that a botnet cannot run up the SMS bill through fresh numbers
  private final RateLimits.Limit perAddress;
  private final RateLimits.Limit overall;

  ResidentAuthController(ResidentLogin login, Tokens tokens, EpiloopProperties properties, RateLimits limits,
      ClientAddress clients, SmsProperties sms) {
    this.login = login;
    this.tokens = tokens;
    this.properties = properties;
    this.limits = limits;
    this.clients = clients;
    this.perAddress = new RateLimits.Limit("otp-address", sms.otpPerAddressPerMinute(), Duration.ofMinutes(1));
    this.overall = new RateLimits.Limit("otp-all", sms.otpPerMinute(), Duration.ofMinutes(1));
  }

  record OtpRequest(String phone) {
    @Override
    public String toString() { // never the phone in a log line
      return "OtpRequest[phone=" + org.epiloop.shared.Masks.phone(phone) + "]";
    }
  }

  record SessionRequest(String phone, String code) {
    @Override
    public String toString() {
      return "SessionRequest[phone=" + org.epiloop.shared.Masks.phone(phone) + "]";
    }
  }

  record SessionResponse(String accessToken, String tokenType, long expiresIn) {}

  @Operation(summary = "Send a one-time login code to a phone")
  @PostMapping("/api/v1/resident/otp")
  @ResponseStatus(HttpStatus.ACCEPTED)
  void otp(@RequestBody OtpRequest body, HttpServletRequest request) {
    String phone = Phones.normalize("phone", body.phone());
    limits.acquire(perAddress, clients.of(request), "OTP_RATE_LIMITED", "Too many codes asked from this address; try again in a minute");
    limits.acquire(overall, "all", "OTP_RATE_LIMITED", "Too many codes asked right now; try again in a minute");
    login.sendCode(phone);
  }

  @Operation(summary = "Exchange a one-time code for a resident token")
  @PostMapping("/api/v1/resident/session")
  SessionResponse session(@RequestBody SessionRequest body) {
    String phone = Phones.normalize("phone", body.phone());
    ApiException.required("code", body.code());
    Actor actor = login.verify(phone, body.code());
    Tokens.Issued t = tokens.issue(actor, properties.residentTokenTtl());
    return new SessionResponse(t.token(), "Bearer", t.expiresInSeconds());
  }
}
