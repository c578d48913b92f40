package org.epiloop.supplies;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Idempotency;
import org.epiloop.shared.Role;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Supplies (G1): stock, settlement of use, requests and their dispatch, the shortage forecast. */
@RestController
class SuppliesController {

  private final Stock stock;
  private final Settlement settlement;
  private final Requests requests;
  private final Forecast forecast;
  private final PpeUses ppeUses;
  private final Idempotency idempotency;

  SuppliesController(Stock stock, Settlement settlement, Requests requests, Forecast forecast, PpeUses ppeUses, Idempotency idempotency) {
    this.ppeUses = ppeUses;
    this.idempotency = idempotency;
    this.stock = stock;
    this.settlement = settlement;
    this.requests = requests;
    this.forecast = forecast;
  }

  record NewWarehouse(String code, String name, String districtCode) {}

  record Receipt(String holderKind, String holderCode, String item, Long quantity) {}

  record NewRequest(String siteCode, String item, Integer quantity, String note) {}

  record Approval(String warehouseCode) {}

  record Decline(String reason) {}

  /** A line of stock with its item in words, and the plain-words flag when more was used than received. */
  record StockView(HolderKind holderKind, String holderCode, SupplyItem item, String itemZh, long quantity, long unaccounted,
      String flag, java.time.Instant updatedAt) {
    static StockView of(Stock.Line l) {
      String flag = l.unaccounted() == 0 ? null : String.format("已用完，另有 %d %s未登记入库就被使用，请核对库存。 Ran out: %d more were used than "
          + "were received here; check the stock.", l.unaccounted(), l.item().unit(), l.unaccounted());
      return new StockView(l.holderKind(), l.holderCode(), l.item(), l.item().zh(), l.quantity(), l.unaccounted(), flag, l.updatedAt());
    }
  }

  @Operation(summary = "Add a warehouse (OFFICIAL; audited)")
  @PostMapping("/api/v1/supplies/warehouses")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('OFFICIAL')")
  Requests.Warehouse addWarehouse(@RequestBody NewWarehouse body) {
    return requests.createWarehouse(Actor.current(), body.code(), body.name(), body.districtCode());
  }

  @Operation(summary = "The warehouses")
  @GetMapping("/api/v1/supplies/warehouses")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<Requests.Warehouse> warehouses() {
    return requests.warehouses();
  }

  @Operation(summary = "Record goods received at a warehouse, site or lab (OFFICIAL; audited)")
  @PostMapping("/api/v1/supplies/stock/receipts")
  @PreAuthorize("hasRole('OFFICIAL')")
  StockView receive(@RequestBody Receipt body) {
    return StockView.of(stock.receive(Actor.current(), body.holderKind(), body.holderCode(), body.item(), body.quantity()));
  }

  @Operation(summary = "Stock per holder and item (a collector: their own site's)")
  @GetMapping("/api/v1/supplies/stock")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN','COLLECTOR')")
  List<StockView> stock(@RequestParam(required = false) String holderKind, @RequestParam(required = false) String holderCode) {
    Actor actor = Actor.current();
    HolderKind kind = holderKind == null || holderKind.isBlank() ? null : HolderKind.parse("holderKind", holderKind);
    String code = holderCode == null || holderCode.isBlank() ? null : holderCode;
    if (actor.is(Role.COLLECTOR)) {
      kind = HolderKind.SITE;
      code = actor.siteCode();
    }
    return stock.lines(kind, code).stream().map(StockView::of).toList();
  }

  @Operation(summary = "Settle the use of supplies now from bound tubes and loaded plates (also runs on a timer)")
  @PostMapping("/api/v1/supplies/settlement")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  Settlement.Settled settle() {
    return settlement.settle();
  }

  @Operation(summary = "Ask for supplies for one's site (COLLECTOR; siteCode defaults to one's own)")
  @PostMapping("/api/v1/supplies/requests")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('COLLECTOR')")
  Requests.Request request(@RequestBody NewRequest body) {
    Actor actor = Actor.current();
    String site = body.siteCode() == null || body.siteCode().isBlank() ? actor.siteCode() : body.siteCode();
    return requests.request(actor, site, body.item(), body.quantity(), body.note());
  }

  @Operation(summary = "Requests, newest first, by status (officials and couriers: all sites; a collector: their own site)")
  @GetMapping("/api/v1/supplies/requests")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN','COLLECTOR','COURIER')")
  List<Requests.Request> requests(@RequestParam(required = false) String status) {
    return requests.list(Actor.current(), status);
  }

  @Operation(summary = "Approve a request from a warehouse (OFFICIAL; audited)")
  @PostMapping("/api/v1/supplies/requests/{id}/approval")
  @PreAuthorize("hasRole('OFFICIAL')")
  Requests.Request approve(@PathVariable UUID id, @RequestBody Approval body) {
    return requests.approve(Actor.current(), id, body.warehouseCode());
  }

  @Operation(summary = "Decline a request with a reason (OFFICIAL; audited)")
  @PostMapping("/api/v1/supplies/requests/{id}/decline")
  @PreAuthorize("hasRole('OFFICIAL')")
  Requests.Request decline(@PathVariable UUID id, @RequestBody Decline body) {
    return requests.decline(Actor.current(), id, body.reason());
  }

  @Operation(summary = "Dispatch an approved request: the warehouse's stock leaves; 422 STOCK_INSUFFICIENT when it holds fewer (OFFICIAL)")
  @PostMapping("/api/v1/supplies/requests/{id}/dispatch")
  @PreAuthorize("hasRole('OFFICIAL')")
  Requests.Request dispatch(@PathVariable UUID id) {
    return requests.dispatch(Actor.current(), id);
  }

  @Operation(summary = "A courier picks up a dispatch (scan)")
  @PostMapping("/api/v1/supplies/requests/{id}/pickup")
  @PreAuthorize("hasRole('COURIER')")
  Requests.Request pickUp(@PathVariable UUID id) {
    return requests.pickUp(Actor.current(), id);
  }

  @Operation(summary = "The site receives a dispatch: its stock grows (COLLECTOR of the site)")
  @PostMapping("/api/v1/supplies/requests/{id}/receipt")
  @PreAuthorize("hasRole('COLLECTOR')")
  Requests.Request receipt(@PathVariable UUID id) {
    return requests.receive(Actor.current(), id);
  }

  @Operation(summary = "Record PPE used at one's site at the end of a shift: the site's stock falls, never below zero (422 "
      + "STOCK_INSUFFICIENT); requires Idempotency-Key, a retry is the same recording (COLLECTOR; audited)")
  @PostMapping("/api/v1/supplies/ppe-use")
  @PreAuthorize("hasRole('COLLECTOR')")
  ResponseEntity<PpeUses.Use> recordPpeUse(
      @Parameter(description = "A UUID made by the terminal for this recording") @RequestHeader("Idempotency-Key") String key,
      @RequestBody PpeUses.Recording body) {
    UUID idemKey = Idempotency.parseKey(key);
    Actor actor = Actor.current();
    // the key first: a reused key is 422 even when this body would also be refused
    byte[] fingerprint = idempotency.fingerprint(actor, "ppe-use", body);
    idempotency.requireUnusedOrSame(idemKey, fingerprint);
    return ResponseEntity.status(HttpStatus.CREATED).body(ppeUses.record(actor, body, idemKey, fingerprint));
  }

  @Operation(summary = "PPE recorded as used at a site in the last hours, newest first (a collector: their own site)")
  @GetMapping("/api/v1/supplies/ppe-use")
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL','ADMIN')")
  List<PpeUses.Use> ppeUses(@RequestParam(required = false) String siteCode, @RequestParam(defaultValue = "24") int hours) {
    return ppeUses.list(Actor.current(), siteCode, hours);
  }

  @Operation(summary = "Shortage forecast of a campaign from the planner's numbers and current stocks (OFFICIAL)")
  @PostMapping("/api/v1/supplies/forecast")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  Forecast.Result forecast(@RequestBody Forecast.Input body) {
    if (body == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "persons", "persons is required");
    }
    return forecast.forecast(body);
  }
}
