package org.epiloop.venue;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Csv;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Confirmed cases and their tracing lists (V3), and residents' own exposure check (V4). */
@RestController
class CasesController {

  private final Cases cases;

  CasesController(Cases cases) {
    this.cases = cases;
  }

  record NewCase(String idType, String idNumber, String confirmedAt) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document number
      return "NewCase[" + idType + ", " + confirmedAt + "]";
    }
  }

  @Operation(summary = "Confirm a case by the person's document; contacts are found at once")
  @PostMapping("/api/v1/cases")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('OFFICIAL')")
  Cases.Confirmed confirm(@RequestBody NewCase body) {
    return cases.confirm(Actor.current(), body.idType(), body.idNumber(), body.confirmedAt());
  }

  @Operation(summary = "A case with its contact counts")
  @GetMapping("/api/v1/cases/{caseId}")
  @PreAuthorize("hasRole('OFFICIAL')")
  Cases.CaseView get(@PathVariable UUID caseId) {
    return cases.view(Actor.current(), caseId);
  }

  @Operation(summary = "A case's tracing list, masked; close contacts first (audited). With limit, one page of it: "
      + "a Link header (rel=next) names the next page while there is one")
  @GetMapping("/api/v1/cases/{caseId}/contacts")
  @PreAuthorize("hasRole('OFFICIAL')")
  ResponseEntity<List<Cases.ContactLine>> contacts(@PathVariable UUID caseId, @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) String after) {
    if (limit == null && after == null) {
      return ResponseEntity.ok(cases.contacts(Actor.current(), caseId));
    }
    int size = limit == null ? 1_000 : limit;
    if (size < 1 || size > Cases.MAX_PAGE) {
      throw ApiException.badRequest("INVALID_LIMIT", "limit", "limit must be between 1 and " + Cases.MAX_PAGE);
    }
    Cases.ContactPage page = cases.contacts(Actor.current(), caseId, after, size);
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (page.next() != null) {
      ok.header(HttpHeaders.LINK, "</api/v1/cases/" + caseId + "/contacts?limit=" + size + "&after=" + page.next() + ">; rel=\"next\"");
    }
    return ok.body(page.lines());
  }

  /** Most cases a page of the case list may hold. */
  static final int MAX_CASES_PAGE = 200;

  @Operation(summary = "Confirmed cases, newest first, with whose (masked) and how far tracing got (audited). "
      + "A Link header (rel=next) names the next page while there is one")
  @GetMapping("/api/v1/cases")
  @PreAuthorize("hasRole('OFFICIAL')")
  ResponseEntity<List<Cases.CaseLine>> list(@RequestParam(required = false) Integer limit, @RequestParam(required = false) String after) {
    int size = limit == null ? 20 : limit;
    if (size < 1 || size > MAX_CASES_PAGE) {
      throw ApiException.badRequest("INVALID_LIMIT", "limit", "limit must be between 1 and " + MAX_CASES_PAGE);
    }
    Cases.CasePage page = cases.list(Actor.current(), blankToNull(after), size);
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (page.next() != null) {
      ok.header(HttpHeaders.LINK, "</api/v1/cases?limit=" + size + "&after=" + page.next() + ">; rel=\"next\"");
    }
    return ok.body(page.cases());
  }

  @Operation(summary = "A case's whole tracing list as CSV for tracers: masked names and phones, venue, exposure, "
      + "reached (audited as an export)")
  @GetMapping(value = "/api/v1/cases/{caseId}/contacts.csv", produces = "text/csv")
  @PreAuthorize("hasRole('OFFICIAL')")
  ResponseEntity<byte[]> contactsCsv(@PathVariable UUID caseId) {
    return Csv.attachment("epiloop-case-" + caseId.toString().substring(0, 8) + "-contacts.csv",
        cases.exportCsv(Actor.current(), caseId));
  }

  record ReachNote(String note) {}

  @Operation(summary = "Mark a contact of the case as reached by a tracer (who and when; an optional note; audited). "
      + "Marking again answers with the first reach")
  @PostMapping("/api/v1/cases/{caseId}/contacts/{personId}/reached")
  @PreAuthorize("hasRole('OFFICIAL')")
  Cases.Reach reached(@PathVariable UUID caseId, @PathVariable UUID personId, @RequestBody(required = false) ReachNote body) {
    return cases.reach(Actor.current(), caseId, personId, body == null ? null : body.note());
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  @Operation(summary = "Whether a person on this account overlapped with a case or a close contact (密接自查), newest first")
  @GetMapping("/api/v1/resident/persons/{personId}/exposures")
  @PreAuthorize("hasRole('RESIDENT')")
  List<Cases.Exposure> exposures(@PathVariable UUID personId) {
    return cases.exposures(Actor.current(), personId);
  }
}
