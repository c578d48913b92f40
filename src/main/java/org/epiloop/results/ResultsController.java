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
  private final Persons persons;
  private final AuditTrail audit;
  private final Clock clock;
  private final RateLimits limits;
  private final ClientAddress clients;

  ResultsController(PersonResults results, Persons persons, AuditTrail audit, Clock clock, RateLimits limits,
      ClientAddress clients) {
    this.results = results;
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
