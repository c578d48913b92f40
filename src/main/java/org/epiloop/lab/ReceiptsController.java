package org.epiloop.lab;

import io.swagger.v3.oas.annotations.Operation;
import org.epiloop.shared.Actor;
import org.epiloop.shared.FreeText;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Lab receipt at the bench (L1): open a box by scan, check tubes in, reject, close with a report. */
@RestController
@RequestMapping("/api/v1/labs/{labCode}/receipts")
@PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER')")
class ReceiptsController {

  private final Receipts receipts;

  ReceiptsController(Receipts receipts) {
    this.receipts = receipts;
  }

  record BoxScan(String boxCode) {}

  record TubeScan(String tubeCode) {}

  record Rejection(@FreeText String reason) {}

  @Operation(summary = "Open a box at the bench; lists the tubes packed in it")
  @PostMapping
  Receipts.Opened open(@PathVariable String labCode, @RequestBody BoxScan body) {
    return receipts.open(Actor.current(), labCode, body.boxCode());
  }

  @Operation(summary = "Check one tube in (RECEIVED, or UNEXPECTED when it was not packed in this box)")
  @PostMapping("/{boxCode}/tubes")
  Receipts.Scanned scan(@PathVariable String labCode, @PathVariable String boxCode, @RequestBody TubeScan body) {
    return receipts.scan(Actor.current(), labCode, boxCode, body.tubeCode());
  }

  @Operation(summary = "Reject a received tube (leaking, unreadable label …) with a reason")
  @PostMapping("/{boxCode}/tubes/{tubeCode}/rejection")
  Receipts.Rejected reject(@PathVariable String labCode, @PathVariable String boxCode, @PathVariable String tubeCode,
      @RequestBody Rejection body) {
    return receipts.reject(Actor.current(), labCode, boxCode, tubeCode, body.reason());
  }

  @Operation(summary = "Close the receipt: received, missing, unexpected and rejected tubes")
  @PostMapping("/{boxCode}/close")
  Receipts.Discrepancies close(@PathVariable String labCode, @PathVariable String boxCode) {
    return receipts.close(Actor.current(), labCode, boxCode);
  }

  @Operation(summary = "The discrepancy report of a box so far")
  @GetMapping("/{boxCode}")
  Receipts.Discrepancies report(@PathVariable String labCode, @PathVariable String boxCode) {
    return receipts.report(Actor.current(), labCode, boxCode);
  }
}
