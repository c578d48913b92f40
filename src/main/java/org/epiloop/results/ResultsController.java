package org.epiloop.results;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.ClientAddress;
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Residents' results (P1), the public result query, and recall lists for retests (L5). */
@RestController
class ResultsController {

  /**
   * Public queries per client address per minute, counted in the database so that every copy
   * behind a load balancer shares the count (the address is stored as a keyed hash, never logged).
   */
  static final RateLimits.Limit QUERIES = new RateLimits.Limit("results-query", 20, Duration.ofMinutes(1));

  private final PersonResults results;
  private final Recalls recalls;
  private final Persons persons;
  private final org.epiloop.directory.Directory directory;
  private final AuditTrail audit;
  private final Clock clock;
  private final RateLimits limits;
  private final ClientAddress clients;

  ResultsController(PersonResults results, Recalls recalls, Persons persons, org.epiloop.directory.Directory directory,
      AuditTrail audit, Clock clock, RateLimits limits, ClientAddress clients) {
    this.results = results;
    this.recalls = recalls;
    this.directory = directory;
    this.persons = persons;
    this.audit = audit;
    this.clock = clock;
    this.limits = limits;
    this.clients = clients;
  }

  @Operation(summary = "A family member's results, newest first (a guardian's link: samplings since the link only)")
  @GetMapping("/api/v1/resident/persons/{personId}/results")
  @PreAuthorize("hasRole('RESIDENT')")
  List<PersonResults.ResultLine> mine(@PathVariable UUID personId) {
    Persons.Held held = persons.held(Actor.current(), personId);
    return results.of(personId).stream().filter(l -> held.shows(l.sampledAt())).toList();
  }

  record Query(String idType, String idNumber, String name) {
    @Override
    public String toString() {
      return "Query[" + idType + "]";
    }
  }

  record QueryAnswer(String nameMasked, String idMasked, List<PersonResults.ResultLine> results) {}

  @Operation(summary = "Look up a person's results by document and name (public, rate-limited)")
  @PostMapping("/api/v1/results/query")
  QueryAnswer query(@RequestBody Query body, HttpServletRequest request) {
    limits.acquire(QUERIES, clients.of(request), "RATE_LIMITED", "Too many queries from this address; try again in a minute");
    Persons.Document doc = Persons.Document.of(body.idType(), body.idNumber(), body.name(), clock);
    UUID person = persons.find(doc)
        .orElseThrow(() -> ApiException.notFound("NO_RESULTS", "No results for this document and name"));
    Persons.PersonView view = persons.view(person).orElseThrow();
    return new QueryAnswer(view.nameMasked(), view.idMasked(), results.of(person));
  }

  record RecallItem(String nameMasked, String phoneMasked, String tubeCode, String reason, Instant since) {}

  @Operation(summary = "Persons to sample again in a single tube at a site")
  @GetMapping("/api/v1/recalls")
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL')")
  List<RecallItem> recalls(@RequestParam String siteCode) {
    Actor actor = Actor.current();
    if (actor.role() == Role.COLLECTOR) {
      actor.requireSite(siteCode);
    }
    List<PersonResults.Recall> open = results.openRecalls(siteCode);
    Map<UUID, Persons.PersonView> views = persons.views(open.stream().map(PersonResults.Recall::personId).distinct().toList());
    audit.record(actor, "RECALL_LIST_READ", "site", siteCode, open.size() + " persons");
    return open.stream().map(r -> new RecallItem(views.get(r.personId()).nameMasked(), views.get(r.personId()).phoneMasked(),
        r.tubeCode(), r.reason(), r.since())).toList();
  }

  @Operation(summary = "The recall page of a site or a district: who is recalled, notified, retested, overdue; closed today (audited)")
  @GetMapping("/api/v1/recalls/board")
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL')")
  Recalls.Board board(@RequestParam(required = false) String siteCode, @RequestParam(required = false) String districtCode) {
    Actor actor = Actor.current();
    boolean site = siteCode != null && !siteCode.isBlank();
    boolean district = districtCode != null && !districtCode.isBlank();
    if (site == district) {
      throw ApiException.badRequest("FIELD_REQUIRED", "siteCode", "Give either siteCode or districtCode");
    }
    if (actor.role() == Role.COLLECTOR && district) {
      throw ApiException.outOfScope("A collector sees the recalls of their own site only");
    }
    List<String> sites;
    if (site) {
      actor.requireSite(siteCode);
      if (directory.site(siteCode).isEmpty()) {
        throw ApiException.badRequest("UNKNOWN_SITE", "siteCode", "No site " + siteCode);
      }
      sites = List.of(siteCode);
    } else {
      directory.requireDistrict("districtCode", districtCode);
      sites = directory.sites().stream().filter(s -> s.districtCode().equals(districtCode)).map(org.epiloop.directory.Directory.Site::code).toList();
    }
    Recalls.Board board = recalls.board(site ? siteCode : null, district ? districtCode : null, sites);
    audit.record(actor, "RECALL_LIST_READ", site ? "site" : "district", site ? siteCode : districtCode, board.items().size() + " persons");
    return board;
  }

  record HistoryQuery(String idType, String idNumber, String reason) {
    @Override
    public String toString() {
      return "HistoryQuery[" + idType + "]";
    }
  }

  record History(String nameMasked, String idMasked, List<PersonResults.Sampling> samplings, List<PersonResults.RecallEntry> recalls) {}

  /** "What happened to this person": an official looks a person up by document, says why, and it is audited. */
  @Operation(summary = "A person's samplings, results and recalls by document (OFFICIAL; the reason is audited)")
  @PostMapping("/api/v1/persons/history")
  @PreAuthorize("hasRole('OFFICIAL')")
  History history(@RequestBody HistoryQuery body) {
    String reason = ApiException.required("reason", body.reason() == null ? null : body.reason().strip());
    if (reason.isEmpty() || reason.length() > 200) {
      throw ApiException.badRequest("INVALID_REASON", "reason", "reason must be 1–200 characters");
    }
    var type = org.epiloop.identity.IdNumbers.type("idType", body.idType());
    String number = org.epiloop.identity.IdNumbers.normalize(type, "idNumber", body.idNumber(),
        java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai"))));
    Actor actor = Actor.current();
    Optional<UUID> person = persons.findByDocument(type, number);
    audit.record(actor, "PERSON_HISTORY_READ", "person", person.map(UUID::toString).orElse("not-found"), reason);
    if (person.isEmpty()) {
      throw ApiException.notFound("PERSON_NOT_FOUND", "Nobody is registered with this document");
    }
    Persons.PersonView view = persons.view(person.get()).orElseThrow();
    return new History(view.nameMasked(), view.idMasked(), results.samplingsOf(person.get()), results.recallsOf(person.get()));
  }

  record LookupItem(String idType, String idNumber) {
    @Override
    public String toString() {
      return "LookupItem[" + idType + "]";
    }
  }

  record Lookup(List<LookupItem> persons) {}

  record LookupAnswer(String idMasked, boolean found, int samplings, int released, String currentStatus) {}

  /**
   * Officials and tracers look up many persons' standing at once (the city simulator checks its
   * invariants with it): samplings, released results and the current status of each. Audited.
   */
  @Operation(summary = "Bulk lookup of persons' result standing by document (OFFICIAL, audited)")
  @PostMapping("/api/v1/results/lookup")
  @PreAuthorize("hasRole('OFFICIAL')")
  List<LookupAnswer> lookup(@RequestBody Lookup body) {
    if (body.persons() == null || body.persons().isEmpty()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "persons", "persons is required");
    }
    if (body.persons().size() > 1000) {
      throw ApiException.badRequest("TOO_MANY", "persons", "at most 1000 persons per lookup");
    }
    List<LookupAnswer> out = new java.util.ArrayList<>();
    for (int i = 0; i < body.persons().size(); i++) {
      LookupItem item = body.persons().get(i);
      String field = "persons[" + i + "]";
      var type = org.epiloop.identity.IdNumbers.type(field + ".idType", item.idType());
      String number = org.epiloop.identity.IdNumbers.normalize(type, field + ".idNumber", item.idNumber(),
          java.time.LocalDate.now(clock.withZone(java.time.ZoneId.of("Asia/Shanghai"))));
      Optional<UUID> person = persons.findByDocument(type, number);
      if (person.isEmpty()) {
        out.add(new LookupAnswer(org.epiloop.shared.Masks.idNumber(number), false, 0, 0, null));
        continue;
      }
      List<PersonResults.ResultLine> lines = results.of(person.get());
      int released = (int) lines.stream().filter(l -> l.status() != ResultStatus.PENDING).count();
      out.add(new LookupAnswer(org.epiloop.shared.Masks.idNumber(number), true, lines.size(), released,
          lines.isEmpty() ? null : lines.get(0).status().name()));
    }
    audit.record(Actor.current(), "RESULTS_LOOKUP", "persons", body.persons().size() + " persons", "bulk lookup");
    return out;
  }

  record RunPublication(UUID runId, int persons, int negative, int recalled, int positive, int retest) {}

  @Operation(summary = "How many person results a released run has produced so far (lab staff, officials)")
  @GetMapping("/api/v1/results/runs/{runId}")
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','OFFICIAL','ADMIN')")
  RunPublication publication(@PathVariable UUID runId) {
    Map<String, Integer> counts = results.countsOf(runId);
    return new RunPublication(runId, counts.values().stream().mapToInt(Integer::intValue).sum(), counts.getOrDefault("NEGATIVE", 0),
        counts.getOrDefault("RECALLED", 0), counts.getOrDefault("POSITIVE", 0), counts.getOrDefault("RETEST", 0));
  }
}
