package org.epiloop.lab;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.shared.Actor;
import org.epiloop.transport.TransportBoxes;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** A lab's work queues: what the bench and the reviewers have to do next. */
@RestController
@RequestMapping("/api/v1/labs/{labCode}")
@PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','OFFICIAL','ADMIN')")
class LabQueuesController {

  private final LabQueues queues;

  LabQueuesController(LabQueues queues) {
    this.queues = queues;
  }

  @Operation(summary = "Boxes on their way to this lab or at its door, not yet received")
  @GetMapping("/incoming")
  List<TransportBoxes.Incoming> incoming(@PathVariable String labCode) {
    return queues.incoming(Actor.current(), labCode);
  }

  @Operation(summary = "Receipts opened at this lab and not closed yet")
  @GetMapping("/receipts")
  List<LabQueues.OpenReceipt> openReceipts(@PathVariable String labCode) {
    return queues.openReceipts(Actor.current(), labCode);
  }

  @Operation(summary = "Tubes this lab holds in a state (default WAITING: received, waiting for a plate)")
  @GetMapping("/tubes")
  List<LabQueues.LabTube> tubes(@PathVariable String labCode, @RequestParam(required = false) String state) {
    return queues.tubes(Actor.current(), labCode, state);
  }

  @Operation(summary = "This lab's runs in a status (default RESULTS_ENTERED: waiting for review)")
  @GetMapping("/runs")
  List<LabQueues.RunItem> runs(@PathVariable String labCode, @RequestParam(required = false) String status) {
    return queues.runs(Actor.current(), labCode, status);
  }
}
