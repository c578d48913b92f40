package org.epiloop.supplies;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Idempotency;
import org.epiloop.shared.Role;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Protective equipment used at a site, recorded by its collector at the end of a shift (G1,
 * docs/adr/0035). Nothing in the loop records PPE by itself (unlike tubes, swabs and reactions),
 * so a person counts it. A recording is a scan: it carries an Idempotency-Key, and a retry after
 * a lost answer is the same recording again, never a second decrement. The site's stock falls in
 * the same transaction and never below zero (422 STOCK_INSUFFICIENT naming {@code quantity}).
 */
@Service
class PpeUses {

  /** A recording as the site sees it, with what its stock line held right after it. */
  record Use(UUID useId, String siteCode, SupplyItem item, String itemZh, int quantity, String note, String recordedBy, Instant recordedAt,
      long remaining) {}

  /** What a collector sends; {@code item} defaults to PPE_SET, {@code siteCode} to their own. */
  record Recording(String siteCode, String item, Integer quantity, String note) {}

  private final JdbcClient jdbc;
  private final Stock stock;
  private final Idempotency idempotency;
  private final AuditTrail audit;
  private final Clock clock;

  PpeUses(JdbcClient jdbc, Stock stock, Idempotency idempotency, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.stock = stock;
    this.idempotency = idempotency;
    this.audit = audit;
    this.clock = clock;
  }

  /** The site a recording is for: the collector's own (403 OUT_OF_SCOPE for another). */
  static String siteOf(Actor collector, String siteCode) {
    String site = siteCode == null || siteCode.isBlank() ? collector.siteCode() : siteCode.strip();
    if (site == null || !site.equals(collector.siteCode())) {
      throw ApiException.outOfScope("You record supplies used at your own site only");
    }
    return site;
  }

  /** Records PPE used at the collector's site; a retry with the same key answers the first recording again. */
  @Transactional
  Use record(Actor collector, Recording in, UUID key, byte[] fingerprint) {
    String site = siteOf(collector, in.siteCode());
    SupplyItem item = in.item() == null || in.item().isBlank() ? SupplyItem.PPE_SET : SupplyItem.parse("item", in.item());
    if (!item.protective()) {
      throw ApiException.badRequest("VALIDATION_FAILED", "item", "item must be protective equipment (PPE_SET); tubes, swabs and "
          + "reactions are counted from what the loop records");
    }
    int quantity = in.quantity() == null ? 0 : in.quantity();
    if (in.quantity() == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "quantity", "quantity is required");
    }
    if (quantity < 1 || quantity > 10_000) {
      throw ApiException.badRequest("VALIDATION_FAILED", "quantity", "quantity must be 1–10000");
    }
    String note = in.note() == null || in.note().isBlank() ? null : in.note().strip();
    if (note != null && note.length() > 200) {
      throw ApiException.badRequest("INVALID_NOTE", "note", "note is at most 200 characters");
    }
    UUID id = UUID.randomUUID();
    if (!idempotency.claim(key, collector, fingerprint, 201, id)) {
      // a retry: the first recording again, nothing taken twice
      return find(idempotency.replay(key, fingerprint).ref());
    }
    long left = stock.consume(HolderKind.SITE, site, item, quantity, "quantity");
    Instant now = clock.instant();
    jdbc.sql("""
            insert into supply_ppe_uses (id, site_code, item, quantity, note, recorded_by, recorded_at, remaining_after)
            values (?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(id, site, item.name(), quantity, note, collector.name(), now.atOffset(ZoneOffset.UTC), left).update();
    audit.record(collector, "SUPPLY_PPE_USED", "supply_stock", HolderKind.SITE + ":" + site, item + " -" + quantity + ", left " + left);
    return find(id);
  }

  /** A site's recordings of the last {@code hours}, newest first (a collector: their own site). */
  @Transactional(readOnly = true)
  List<Use> list(Actor actor, String siteCode, int hours) {
    if (hours < 1 || hours > 24 * 31) {
      throw ApiException.badRequest("INVALID_PARAMETER", "hours", "hours must be 1–744");
    }
    String site = actor.is(Role.COLLECTOR) ? siteOf(actor, siteCode) : ApiException.required("siteCode", siteCode);
    return jdbc.sql(SELECT + " where site_code = ? and recorded_at > ? order by recorded_at desc limit 200")
        .params(site, clock.instant().minus(Duration.ofHours(hours)).atOffset(ZoneOffset.UTC))
        .query(PpeUses::row).list();
  }

  private Use find(UUID id) {
    return jdbc.sql(SELECT + " where id = ?").param(id).query(PpeUses::row).single();
  }

  private static final String SELECT = "select id, site_code, item, quantity, note, recorded_by, recorded_at, remaining_after from supply_ppe_uses";

  private static Use row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    SupplyItem item = SupplyItem.valueOf(rs.getString(3));
    return new Use(rs.getObject(1, UUID.class), rs.getString(2), item, item.zh(), rs.getInt(4), rs.getString(5), rs.getString(6),
        rs.getObject(7, OffsetDateTime.class).toInstant(), rs.getLong(8));
  }
}
