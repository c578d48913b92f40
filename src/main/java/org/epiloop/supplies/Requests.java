package org.epiloop.supplies;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Role;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Warehouses, and a site's request for supplies on its way: asked by the site's staff, approved
 * or declined and dispatched from a warehouse by an official, picked up by a courier's scan,
 * received at the site by its staff. Each step is a custody row (time, actor) and an audit
 * record; the warehouse's stock leaves at dispatch (refused when short) and the site's arrives at
 * receipt. A dispatch is its own record rather than a transport box: boxes carry sealed tubes
 * with counts checked tube by tube at a lab, which supplies are not (docs/adr/0033).
 */
@Service
class Requests {

  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{1,31}");

  record Warehouse(String code, String name, String districtCode) {}

  record Step(String step, String actor, Instant at) {}

  record Request(UUID id, String siteCode, SupplyItem item, int quantity, String note, RequestStatus status, String requestedBy,
      Instant requestedAt, String warehouseCode, String declineReason, List<Step> custody) {}

  private final JdbcClient jdbc;
  private final Stock stock;
  private final Directory directory;
  private final AuditTrail audit;
  private final Clock clock;

  Requests(JdbcClient jdbc, Stock stock, Directory directory, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.stock = stock;
    this.directory = directory;
    this.audit = audit;
    this.clock = clock;
  }

  @Transactional
  Warehouse createWarehouse(Actor official, String code, String name, String districtCode) {
    String c = ApiException.required("code", code);
    if (!CODE.matcher(c).matches()) {
      throw ApiException.badRequest("INVALID_CODE", "code", "code must be 2–32 letters, digits, '-' or '_'");
    }
    String n = ApiException.required("name", name).strip();
    if (n.isEmpty() || n.length() > 100) {
      throw ApiException.badRequest("VALIDATION_FAILED", "name", "name must be 1–100 characters");
    }
    directory.requireDistrict("districtCode", districtCode);
    try {
      jdbc.sql("insert into supply_warehouses (code, name, district_code, created_at) values (?, ?, ?, ?)")
          .params(c, n, districtCode, now()).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("WAREHOUSE_EXISTS", "Warehouse " + c + " exists already");
    }
    audit.record(official, "WAREHOUSE_CREATED", "supply_warehouse", c, n);
    return new Warehouse(c, n, districtCode);
  }

  List<Warehouse> warehouses() {
    return jdbc.sql("select code, name, district_code from supply_warehouses order by code")
        .query((rs, i) -> new Warehouse(rs.getString(1), rs.getString(2), rs.getString(3))).list();
  }

  /** A site's staff ask for supplies for their own site. */
  @Transactional
  Request request(Actor actor, String siteCode, String item, Integer quantity, String note) {
    String site = ApiException.required("siteCode", siteCode);
    actor.requireSite(site);
    if (directory.site(site).isEmpty()) {
      throw ApiException.notFound("HOLDER_NOT_FOUND", "No site " + site);
    }
    SupplyItem i = SupplyItem.parse("item", item);
    int q = ApiException.required("quantity", quantity);
    if (q < 1 || q > 1_000_000) {
      throw ApiException.badRequest("VALIDATION_FAILED", "quantity", "quantity must be 1–1000000");
    }
    String n = note == null || note.isBlank() ? null : note.strip();
    if (n != null && n.length() > 200) {
      throw ApiException.badRequest("VALIDATION_FAILED", "note", "note must be at most 200 characters");
    }
    UUID id = UUID.randomUUID();
    jdbc.sql("""
            insert into supply_requests (id, site_code, item, quantity, note, status, requested_by, requested_at)
            values (?, ?, ?, ?, ?, 'REQUESTED', ?, ?)""")
        .params(id, site, i.name(), q, n, actor.name(), now()).update();
    audit.record(actor, "SUPPLY_REQUESTED", "supply_request", id.toString(), site + " " + i + " x" + q);
    return find(id);
  }

  /** An official approves a request, naming the warehouse it is to come from. */
  @Transactional
  Request approve(Actor official, UUID id, String warehouseCode) {
    String w = stock.requireHolder(HolderKind.WAREHOUSE, ApiException.required("warehouseCode", warehouseCode));
    Request r = move(official, id, RequestStatus.APPROVED);
    jdbc.sql("update supply_requests set warehouse_code = ?, decided_by = ?, decided_at = ? where id = ?")
        .params(w, official.name(), now(), id).update();
    return find(r.id());
  }

  @Transactional
  Request decline(Actor official, UUID id, String reason) {
    String why = ApiException.required("reason", reason).strip();
    if (why.isEmpty() || why.length() > 200) {
      throw ApiException.badRequest("VALIDATION_FAILED", "reason", "reason must be 1–200 characters");
    }
    move(official, id, RequestStatus.DECLINED);
    jdbc.sql("update supply_requests set decline_reason = ?, decided_by = ?, decided_at = ? where id = ?")
        .params(why, official.name(), now(), id).update();
    return find(id);
  }

  /** The goods leave the warehouse: refused (422 STOCK_INSUFFICIENT) when it holds fewer. */
  @Transactional
  Request dispatch(Actor official, UUID id) {
    Request r = move(official, id, RequestStatus.DISPATCHED);
    stock.take(HolderKind.WAREHOUSE, r.warehouseCode(), r.item(), r.quantity(), "quantity");
    return find(id);
  }

  /** A courier's pickup scan. */
  @Transactional
  Request pickUp(Actor courier, UUID id) {
    move(courier, id, RequestStatus.PICKED_UP);
    return find(id);
  }

  /** The site's staff receive the goods: the site's stock grows. */
  @Transactional
  Request receive(Actor actor, UUID id) {
    Request before = find(id);
    actor.requireSite(before.siteCode());
    Request r = move(actor, id, RequestStatus.RECEIVED);
    stock.add(HolderKind.SITE, r.siteCode(), r.item(), r.quantity());
    return find(id);
  }

  /** Requests by status (officials: every site; site staff: their own site's). */
  List<Request> list(Actor actor, String status) {
    RequestStatus s = null;
    if (status != null && !status.isBlank()) {
      try {
        s = RequestStatus.valueOf(status);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("VALIDATION_FAILED", "status", "status must be one of " + java.util.Arrays.toString(RequestStatus.values()));
      }
    }
    String site = actor.is(Role.COLLECTOR) ? actor.siteCode() : null;
    List<UUID> ids = jdbc.sql("""
            select id from supply_requests where (cast(? as text) is null or status = ?) and (cast(? as text) is null or site_code = ?)
            order by requested_at desc limit 200""")
        .params(s == null ? null : s.name(), s == null ? null : s.name(), site, site)
        .query(UUID.class).list();
    return ids.stream().map(this::find).toList();
  }

  /** Moves a request by its status's guarded transition, locking it; 409 when it is elsewhere. */
  private Request move(Actor actor, UUID id, RequestStatus to) {
    String current = jdbc.sql("select status from supply_requests where id = ? for update").param(id).query(String.class).optional()
        .orElseThrow(() -> ApiException.notFound("SUPPLY_REQUEST_NOT_FOUND", "No supply request " + id));
    RequestStatus from = RequestStatus.valueOf(current);
    if (!to.from().contains(from)) {
      throw ApiException.conflict("SUPPLY_REQUEST_STATE", "The request is " + from + "; it cannot become " + to);
    }
    jdbc.sql("update supply_requests set status = ? where id = ?").params(to.name(), id).update();
    jdbc.sql("insert into supply_custody (request_id, step, actor, at) values (?, ?, ?, ?)").params(id, to.name(), actor.name(), now())
        .update();
    audit.record(actor, "SUPPLY_" + to.name(), "supply_request", id.toString(), from + " -> " + to);
    return find(id);
  }

  Request find(UUID id) {
    List<Step> custody = jdbc.sql("select step, actor, at from supply_custody where request_id = ? order by at, step").param(id)
        .query((rs, i) -> new Step(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class).toInstant())).list();
    return jdbc.sql("""
            select id, site_code, item, quantity, note, status, requested_by, requested_at, warehouse_code, decline_reason
            from supply_requests where id = ?""")
        .param(id)
        .query((rs, i) -> new Request(rs.getObject(1, UUID.class), rs.getString(2), SupplyItem.valueOf(rs.getString(3)), rs.getInt(4),
            rs.getString(5), RequestStatus.valueOf(rs.getString(6)), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
            rs.getString(9), rs.getString(10), custody))
        .optional()
        .orElseThrow(() -> ApiException.notFound("SUPPLY_REQUEST_NOT_FOUND", "No supply request " + id));
  }

  private OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }
}
