package org.epiloop.security;

import io.swagger.v3.oas.annotations.Operation;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Phones;
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

  ResidentAuthController(ResidentLogin login, Tokens tokens, EpiloopProperties properties) {
    this.login = login;
    this.tokens = tokens;
    this.properties = properties;
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
  void otp(@RequestBody OtpRequest body) {
    login.sendCode(Phones.normalize("phone", body.phone()));
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
