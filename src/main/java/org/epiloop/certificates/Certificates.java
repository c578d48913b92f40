package org.epiloop.certificates;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultStatus;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues result certificates and verifies their tokens against the result as it stands now.
 * Only a released NEGATIVE or POSITIVE of one of the city's labs is certified: a pool's RECALLED
 * or a RETEST is no result to show anyone, and a result received from outside is certified by the
 * lab that made it (ADR 0025).
 */
@Service
public class Certificates {

  /** A rendered certificate: the PDF and the token its QR code holds. */
  public record Certificate(UUID resultId, byte[] pdf, String token) {}

  /** VALID: genuine and the result stands; REVOKED: genuine but amended or superseded; INVALID: not ours. */
  public enum State { VALID, REVOKED, INVALID }

  /**
   * What checking a token found. For a genuine token: the certified value and what it is now;
   * {@code revokedBecause} AMENDED (the result was corrected), SUPERSEDED (a later sampling of
   * the person gave another result) or WITHDRAWN (the result is gone).
   */
  public record Verification(State state, String revokedBecause, String nameMasked, String result, String currentResult,
      Instant sampledAt, String labCode, Instant issuedAt) {

    static Verification invalid() {
      return new Verification(State.INVALID, null, null, null, null, null, null, null);
    }
  }

  static final int MAX_REASON = 200;

  private final PersonResults results;
  private final Persons persons;
  private final Directory directory;
  private final AuditTrail audit;
  private final CertificateTokens tokens;
  private final EpiloopProperties properties;
  private final Clock clock;

  Certificates(PersonResults results, Persons persons, Directory directory, AuditTrail audit, CertificateTokens tokens,
      EpiloopProperties properties, Clock clock) {
    this.results = results;
    this.persons = persons;
    this.directory = directory;
    this.audit = audit;
    this.tokens = tokens;
    this.properties = properties;
    this.clock = clock;
  }

  /**
   * A certificate of a result: for a resident, of a person their account holds (and a sampling
   * their link lets them see); for an official, with a reason, audited.
   */
  @Transactional
  public Certificate issue(Actor actor, UUID resultId, String reason) {
    PersonResults.LocalResult r = results.local(resultId)
        .orElseThrow(() -> ApiException.notFound("RESULT_NOT_FOUND", "No released result with this id"));
    if (actor.role() == Role.RESIDENT) {
      Persons.Held held = persons.held(actor, r.personId());
      if (!held.shows(r.sampledAt())) {
        throw ApiException.notFound("RESULT_NOT_FOUND", "No released result with this id");
      }
    } else if (actor.role() == Role.OFFICIAL) {
      String why = ApiException.required("reason", reason).strip();
      if (why.length() < 2 || why.length() > MAX_REASON || why.codePoints().anyMatch(Character::isISOControl)) {
        throw ApiException.badRequest("INVALID_REASON", "reason", "reason must be 2–" + MAX_REASON + " printable characters");
      }
      audit.record(actor, "CERTIFICATE_ISSUED", "person", r.personId().toString(), "result " + resultId + "; reason: " + why);
    } else {
      throw ApiException.outOfScope("Only the person's account or an official may download a certificate");
    }
    if (r.status() != ResultStatus.NEGATIVE && r.status() != ResultStatus.POSITIVE) {
      throw ApiException.conflict("NOT_CERTIFIABLE", "Only a released negative or positive result is certified, not " + r.status());
    }
    if (results.superseded(r)) {
      throw ApiException.conflict("NOT_CERTIFIABLE", "A later result of this person differs from this one; certify the later one");
    }
    Persons.PersonView view = persons.view(r.personId()).orElseThrow();
    String name = persons.nameForCertificate(r.personId()).orElseThrow();
    Instant now = clock.instant();
    String token = tokens.sign(new CertificateTokens.Claims(r.bindingId(), r.status().name(), view.nameMasked(), r.sampledAt(),
        r.labCode(), now));
    String site = directory.site(r.siteCode()).map(s -> s.name() + " (" + s.code() + ")").orElse(r.siteCode());
    String lab = directory.lab(r.labCode()).map(l -> l.name() + " (" + l.code() + ")").orElse(r.labCode());
    boolean negative = r.status() == ResultStatus.NEGATIVE;
    byte[] pdf = CertificatePdf.render(new CertificatePdf.Content(name, view.idMasked(), r.sampledAt(), site, lab,
        negative ? "阴性" : "阳性", negative ? "Negative" : "Positive", r.reportedAt(), r.bindingId().toString(), now, token),
        properties.zone());
    return new Certificate(r.bindingId(), pdf, token);
  }

  /** Checks a token: its signature with the certificate key, then the result as it stands now. */
  @Transactional(readOnly = true)
  public Verification verify(String token) {
    Optional<CertificateTokens.Claims> claims = tokens.verify(token);
    if (claims.isEmpty()) {
      return Verification.invalid();
    }
    CertificateTokens.Claims c = claims.get();
    Optional<PersonResults.LocalResult> now = results.local(c.resultId());
    String because = null;
    if (now.isEmpty()) {
      because = "WITHDRAWN";
    } else if (!now.get().status().name().equals(c.result())) {
      because = "AMENDED";
    } else if (results.superseded(now.get())) {
      because = "SUPERSEDED";
    }
    return new Verification(because == null ? State.VALID : State.REVOKED, because, c.nameMasked(), c.result(),
        now.map(r -> r.status().name()).orElse(null), c.sampledAt(), c.labCode(), c.issuedAt());
  }
}
