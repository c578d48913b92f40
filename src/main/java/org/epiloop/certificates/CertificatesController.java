package org.epiloop.certificates;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.ClientAddress;
import org.epiloop.shared.RateLimits;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Result certificates (P3): download (residents, officials), public verification and keys. */
@RestController
class CertificatesController {

  /** Verification is public: limited per address, like the public result query. */
  static final RateLimits.Limit VERIFICATIONS = new RateLimits.Limit("certificate-verify", 30, Duration.ofMinutes(1));

  private final Certificates certificates;
  private final CertificateKeys keys;
  private final RateLimits limits;
  private final ClientAddress clients;

  CertificatesController(Certificates certificates, CertificateKeys keys, RateLimits limits, ClientAddress clients) {
    this.certificates = certificates;
    this.keys = keys;
    this.limits = limits;
    this.clients = clients;
  }

  @Operation(summary = "A result certificate as PDF with a signed QR code (RESIDENT: a person on the account; OFFICIAL: with a "
      + "reason, audited). The id is a resultId from the person's result list")
  @GetMapping(value = "/api/v1/certificates/{resultId}", produces = MediaType.APPLICATION_PDF_VALUE)
  @PreAuthorize("hasAnyRole('RESIDENT','OFFICIAL')")
  ResponseEntity<byte[]> download(@PathVariable UUID resultId, @RequestParam(required = false) String reason) {
    Certificates.Certificate c = certificates.issue(Actor.current(), resultId, reason);
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF).cacheControl(CacheControl.noStore())
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename("certificate-" + c.resultId() + ".pdf").build()
            .toString())
        .body(c.pdf());
  }

  record VerifyRequest(String token) {
    @Override
    public String toString() {
      return "VerifyRequest[…]";
    }
  }

  @Operation(summary = "Check a certificate's token (public, rate-limited): VALID, REVOKED (amended or superseded) or INVALID")
  @PostMapping("/api/v1/certificates/verify")
  Certificates.Verification verify(@RequestBody VerifyRequest body, HttpServletRequest request) {
    limits.acquire(VERIFICATIONS, clients.of(request), "RATE_LIMITED", "Too many checks from this address; try again in a minute");
    String token = ApiException.required("token", body.token());
    if (token.length() > 2048) {
      throw ApiException.badRequest("VALIDATION_FAILED", "token", "token is at most 2048 characters");
    }
    return certificates.verify(token);
  }

  @Operation(summary = "The public key (JWKS) that verifies certificate tokens offline")
  @GetMapping(value = "/api/v1/certificates/keys", produces = {"application/jwk-set+json", MediaType.APPLICATION_JSON_VALUE})
  ResponseEntity<Map<String, Object>> keys() {
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofHours(1))).body(keys.jwks());
  }
}
