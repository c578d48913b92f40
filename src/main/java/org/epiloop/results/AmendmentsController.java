package org.epiloop.results;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Corrections of released results by two lab reviewers (issue 16 item 4). */
@RestController
class AmendmentsController {

  private final ResultAmendments amendments;

  AmendmentsController(ResultAmendments amendments) {
    this.amendments = amendments;
  }

  @Operation(summary = "The released results of a tube tested by the lab, to pick the one to correct (persons masked)")
  @GetMapping("/api/v1/labs/{labCode}/released-results")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  List<ResultAmendments.TubeResult> ofTube(@PathVariable String labCode, @RequestParam String tubeCode) {
    return amendments.resultsOfTube(Actor.current(), labCode, tubeCode);
  }

  @Operation(summary = "The lab's corrections: open ones first, then the latest decided")
  @GetMapping("/api/v1/labs/{labCode}/amendments")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  List<ResultAmendments.Amendment> ofLab(@PathVariable String labCode) {
    return amendments.ofLab(Actor.current(), labCode);
  }

  record Proposal(UUID bindingId, String status, String reason, String kind) {}

  @Operation(summary = "Propose a correction of a released result (another reviewer of the lab must approve it)")
  @PostMapping("/api/v1/amendments")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  ResultAmendments.Amendment propose(@RequestBody Proposal body) {
    ApiException.required("bindingId", body.bindingId());
    return amendments.propose(Actor.current(), body.bindingId(), body.status(), body.reason(), body.kind());
  }

  @Operation(summary = "Approve a correction proposed by another reviewer: the result changes and everyone downstream follows")
  @PostMapping("/api/v1/amendments/{amendmentId}/approve")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  ResultAmendments.Amendment approve(@PathVariable UUID amendmentId) {
    return amendments.approve(Actor.current(), amendmentId);
  }

  @Operation(summary = "Reject a correction proposed by another reviewer: nothing changes")
  @PostMapping("/api/v1/amendments/{amendmentId}/reject")
  @PreAuthorize("hasRole('LAB_REVIEWER')")
  ResultAmendments.Amendment reject(@PathVariable UUID amendmentId) {
    return amendments.reject(Actor.current(), amendmentId);
  }
}
