package org.epiloop.healthcode;

import com.nimbusds.jwt.JWTClaimsSet;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.FreeText;
import org.epiloop.shared.QrCodes;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Residents' codes (H2), checkpoint verification (H3), public keys, overrides and rule settings (H1, H4). */
@RestController
class HealthCodeController {

  private final HealthCodes codes;
  private final CodeViews views;
  private final CodeTokens tokens;
  private final Persons persons;

  HealthCodeController(HealthCodes codes, CodeViews views, CodeTokens tokens, Persons persons) {
    this.codes = codes;
    this.views = views;
    this.tokens = tokens;
    this.persons = persons;
  }

  record LastTest(String status, Instant sampledAt, Long hoursSince) {}

  record CodeView(HealthColor color, List<HealthCodes.Reason> reasons, String token, Instant expiresAt, String nameMasked, LastTest lastTest) {}

  @Operation(summary = "A family member's health code with a short-lived signed token")
  @GetMapping("/api/v1/resident/persons/{personId}/health-code")
  @PreAuthorize("hasRole('RESIDENT')")
  ResponseEntity<CodeView> code(@PathVariable UUID personId) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(views.view(Actor.current(), personId));
  }

  @Operation(summary = "The health-code token as a QR image")
  @GetMapping(value = "/api/v1/resident/persons/{personId}/health-code.png", produces = MediaType.IMAGE_PNG_VALUE)
  @PreAuthorize("hasRole('RESIDENT')")
  ResponseEntity<byte[]> png(@PathVariable UUID personId) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.IMAGE_PNG)
        .body(QrCodes.png(views.view(Actor.current(), personId).token(), 360));
  }

  record Verification(String token) {}

  record Verified(boolean valid, HealthColor color, String nameMasked, Instant expiresAt, HealthColor signedColor) {}

  @Operation(summary = "Verify a scanned health code: signature and expiry, and the person's CURRENT colour")
  @PostMapping("/api/v1/health-codes/verification")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','VENUE_MANAGER','GRID_WORKER','HOSPITAL')")
  Verified verify(@RequestBody Verification body) {
    Optional<JWTClaimsSet> claims = tokens.verify(body.token());
    if (claims.isEmpty()) {
      return new Verified(false, null, null, null, null);
    }
    try {
      UUID person = UUID.fromString(claims.get().getSubject());
      HealthCodes.Code now = codes.currentForRead(person, null);
      return new Verified(true, now.color(), claims.get().getStringClaim("nm"), claims.get().getExpirationTime().toInstant(),
          HealthColor.valueOf(claims.get().getStringClaim("col")));
    } catch (java.text.ParseException | IllegalArgumentException e) {
      return new Verified(false, null, null, null, null);
    }
  }

  @Operation(summary = "The public keys (JWKS) that verify health-code tokens offline")
  @GetMapping(value = "/api/v1/health-codes/keys", produces = {"application/jwk-set+json", MediaType.APPLICATION_JSON_VALUE})
  ResponseEntity<Map<String, Object>> keys() {
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(Duration.ofMinutes(5))).body(tokens.jwks());
  }

  record OverrideRequest(UUID personId, String color, @FreeText String reason, Integer hours) {}

  @Operation(summary = "Officials set a person's colour for a time, with a reason (audited)")
  @PostMapping("/api/v1/health-codes/overrides")
  @PreAuthorize("hasRole('OFFICIAL')")
  HealthCodes.Code override(@RequestBody OverrideRequest body) {
    UUID person = ApiException.required("personId", body.personId());
    if (persons.view(person).isEmpty()) {
      throw ApiException.notFound("PERSON_NOT_FOUND", "No person " + person);
    }
    HealthColor color;
    try {
      color = HealthColor.valueOf(ApiException.required("color", body.color()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_COLOR", "color", "color must be GREEN, YELLOW or RED");
    }
    String reason = ApiException.required("reason", body.reason());
    int hours = body.hours() == null ? 24 : body.hours();
    if (hours < 1 || hours > 24 * 30) {
      throw ApiException.badRequest("INVALID_DURATION", "hours", "hours must be between 1 and 720");
    }
    return codes.override(Actor.current(), person, color, reason, Duration.ofHours(hours));
  }

  record Settings(Map<String, String> settings, List<HealthCodes.Change> changes) {}

  @Operation(summary = "The colour rules' windows and colours, with their change history")
  @GetMapping("/api/v1/health-codes/rules")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Settings rules() {
    return new Settings(codes.settings().asMap(), codes.changes());
  }

  record SettingChange(String value) {}

  @Operation(summary = "Change one rule setting (ADMIN or OFFICIAL; recorded: who, when, old, new; audited)")
  @PutMapping("/api/v1/health-codes/rules/{name}")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Settings change(@PathVariable String name, @RequestBody(required = false) SettingChange body) {
    codes.change(Actor.current(), name, body == null ? null : body.value());
    return rules();
  }
}
