package org.epiloop.alerts;

import io.swagger.v3.oas.annotations.Operation;
import org.epiloop.security.StreamTickets;
import org.epiloop.shared.Actor;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/** Officials take and close alerts, and the command screens follow them live (D2, L5). */
@RestController
@RequestMapping("/api/v1/dashboard/alerts")
@PreAuthorize("hasRole('OFFICIAL')")
class AlertsController {

  static final String STREAM = "/api/v1/dashboard/alerts/stream";

  private final Alerts alerts;
  private final LiveAlerts live;
  private final StreamTickets tickets;

  AlertsController(Alerts alerts, LiveAlerts live, StreamTickets tickets) {
    this.alerts = alerts;
    this.live = live;
    this.tickets = tickets;
  }

  record Note(String note) {}

  @Operation(summary = "Acknowledge an open stored alert, with a note (OPEN → ACKNOWLEDGED; audited)")
  @PostMapping("/{alertId}/acknowledgement")
  Alerts.Alert acknowledge(@PathVariable long alertId, @RequestBody(required = false) Note body) {
    return alerts.acknowledge(Actor.current(), alertId, body == null ? null : body.note());
  }

  @Operation(summary = "Resolve an acknowledged alert, with a note (ACKNOWLEDGED → RESOLVED; audited); it leaves the screens")
  @PostMapping("/{alertId}/resolution")
  Alerts.Alert resolve(@PathVariable long alertId, @RequestBody(required = false) Note body) {
    return alerts.resolve(Actor.current(), alertId, body == null ? null : body.note());
  }

  @Operation(summary = "A single-use ticket (valid 60 s) that opens the live alert stream: "
      + "GET " + STREAM + "?ticket=… (an EventSource cannot send the bearer token)")
  @PostMapping("/stream-tickets")
  @ResponseStatus(HttpStatus.CREATED)
  StreamTickets.Ticket ticket() {
    return tickets.issue(Actor.current(), STREAM);
  }

  @Operation(summary = "Server-sent events: 'ready' on connect, then 'alert' (the alert as JSON) the moment an alert is "
      + "raised, acknowledged or resolved. Authenticate with ?ticket= from stream-tickets, or a bearer token")
  @GetMapping(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter stream() {
    return live.subscribe();
  }
}
