package org.epiloop.supplies;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.epiloop.audit.AuditTrail;
import org.epiloop.directory.Directory;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stock per holder and item (table {@code supply_stock}), changed only by the rules named here,
 * each in the caller's transaction:
 *
 * <ol>
 *   <li>{@link #add}: goods arrive (received at a warehouse by an official, or at a site from a
 *       dispatch);
 *   <li>{@link #take}: goods leave on an official's decision (a dispatch): refused, with the
 *       numbers in plain words, when the holder has fewer than asked — stock never goes negative;
 *   <li>{@link #consume}: a person records what was used (PPE after a shift): refused in the same way;
 *   <li>{@link #use}: the loop used them (settlement): what was used cannot be refused, so use
 *       beyond what is on hand empties the stock and the rest is kept as "unaccounted" — used here
 *       but never received here — which the officials' page shows in words.
 * </ol>
 */
@Service
class Stock {

  /** One line of stock; {@code unaccounted}: used beyond what was received. */
  record Line(HolderKind holderKind, String holderCode, SupplyItem item, long quantity, long unaccounted, Instant updatedAt) {}

  private final JdbcClient jdbc;
  private final Directory directory;
  private final AuditTrail audit;
  private final Clock clock;

  Stock(JdbcClient jdbc, Directory directory, AuditTrail audit, Clock clock) {
    this.jdbc = jdbc;
    this.directory = directory;
    this.audit = audit;
    this.clock = clock;
  }

  /** An official records goods received at a holder (a delivery into a warehouse, a stock-take at a lab); audited. */
  @Transactional
  Line receive(Actor official, String holderKind, String holderCode, String item, Long quantity) {
    HolderKind kind = HolderKind.parse("holderKind", holderKind);
    String code = requireHolder(kind, holderCode);
    SupplyItem i = SupplyItem.parse("item", item);
    long q = ApiException.required("quantity", quantity);
    if (q < 1 || q > 100_000_000L) {
      throw ApiException.badRequest("VALIDATION_FAILED", "quantity", "quantity must be 1–100000000");
    }
    add(kind, code, i, q);
    audit.record(official, "SUPPLY_RECEIVED", "supply_stock", kind + ":" + code, i + " +" + q);
    return line(kind, code, i);
  }

  /** Rule 1: goods arrive. */
  void add(HolderKind kind, String code, SupplyItem item, long quantity) {
    jdbc.sql("""
            insert into supply_stock (holder_kind, holder_code, item, quantity, updated_at) values (?, ?, ?, ?, ?)
            on conflict (holder_kind, holder_code, item) do update
              set quantity = supply_stock.quantity + excluded.quantity, updated_at = excluded.updated_at""")
        .params(kind.name(), code, item.name(), quantity, now())
        .update();
  }

  /** Rule 2: goods leave on a decision; refused (422 STOCK_INSUFFICIENT) when fewer are on hand. */
  void take(HolderKind kind, String code, SupplyItem item, long quantity, String field) {
    int changed = jdbc.sql("""
            update supply_stock set quantity = quantity - ?, updated_at = ?
            where holder_kind = ? and holder_code = ? and item = ? and quantity >= ?""")
        .params(quantity, now(), kind.name(), code, item.name(), quantity)
        .update();
    if (changed == 0) {
      long onHand = line(kind, code, item).quantity();
      throw ApiException.unprocessable("STOCK_INSUFFICIENT", field, String.format(
          "%s %s 只有 %d %s%s，不够发出 %d。 %s %s holds %d %s, fewer than the %d asked.", holderWords(kind), code, onHand,
          item.unit(), item.zh(), quantity, kind.name().toLowerCase(java.util.Locale.ROOT), code, onHand, item.en(), quantity));
    }
  }

  /**
   * Rule 2b: a person records what was used (PPE at the end of a shift): like {@link #take},
   * refused (422 STOCK_INSUFFICIENT naming {@code field}) when fewer are on hand — a count that
   * does not add up is to be checked by a person, not absorbed — and counted into the hour's rate.
   * Returns what is left.
   */
  long consume(HolderKind kind, String code, SupplyItem item, long quantity, String field) {
    Instant now = clock.instant();
    Long left = jdbc.sql("""
            update supply_stock set quantity = quantity - ?, updated_at = ?
            where holder_kind = ? and holder_code = ? and item = ? and quantity >= ? returning quantity""")
        .params(quantity, now.atOffset(ZoneOffset.UTC), kind.name(), code, item.name(), quantity)
        .query(Long.class).optional().orElse(null);
    if (left == null) {
      long onHand = line(kind, code, item).quantity();
      throw ApiException.unprocessable("STOCK_INSUFFICIENT", field, String.format(
          "%s %s 只有 %d %s%s，不够登记使用 %d，请先核对库存或登记收货。 %s %s holds %d %s, fewer than the %d recorded as used: check the "
              + "count or record the goods received first.", holderWords(kind), code, onHand, item.unit(), item.zh(), quantity,
          kind.name().toLowerCase(java.util.Locale.ROOT), code, onHand, item.en(), quantity));
    }
    jdbc.sql("""
            insert into supply_usage_hours (holder_kind, holder_code, item, hour, quantity) values (?, ?, ?, ?, ?)
            on conflict (holder_kind, holder_code, item, hour) do update set quantity = supply_usage_hours.quantity + excluded.quantity""")
        .params(kind.name(), code, item.name(), now.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC), quantity)
        .update();
    return left;
  }

  /**
   * Rule 3: the loop used {@code quantity}; stock never goes below zero, the excess is kept as
   * unaccounted. Also counts the use into the hour's rate.
   */
  void use(HolderKind kind, String code, SupplyItem item, long quantity) {
    if (quantity <= 0) {
      return;
    }
    Instant now = clock.instant();
    jdbc.sql("""
            insert into supply_stock (holder_kind, holder_code, item, quantity, unaccounted, updated_at) values (?, ?, ?, 0, ?, ?)
            on conflict (holder_kind, holder_code, item) do update
              set unaccounted = supply_stock.unaccounted + greatest(? - supply_stock.quantity, 0),
                  quantity = greatest(supply_stock.quantity - ?, 0), updated_at = excluded.updated_at""")
        .params(kind.name(), code, item.name(), quantity, now.atOffset(ZoneOffset.UTC), quantity, quantity)
        .update();
    jdbc.sql("""
            insert into supply_usage_hours (holder_kind, holder_code, item, hour, quantity) values (?, ?, ?, ?, ?)
            on conflict (holder_kind, holder_code, item, hour) do update set quantity = supply_usage_hours.quantity + excluded.quantity""")
        .params(kind.name(), code, item.name(), now.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC), quantity)
        .update();
  }

  Line line(HolderKind kind, String code, SupplyItem item) {
    return jdbc.sql("""
            select holder_kind, holder_code, item, quantity, unaccounted, updated_at from supply_stock
            where holder_kind = ? and holder_code = ? and item = ?""")
        .params(kind.name(), code, item.name())
        .query(Stock::line).optional()
        .orElse(new Line(kind, code, item, 0, 0, null));
  }

  /** Every line, or one holder kind's. */
  List<Line> lines(HolderKind kind, String code) {
    return jdbc.sql("""
            select holder_kind, holder_code, item, quantity, unaccounted, updated_at from supply_stock
            where (cast(? as text) is null or holder_kind = ?) and (cast(? as text) is null or holder_code = ?)
            order by holder_kind, holder_code, item""")
        .params(kind == null ? null : kind.name(), kind == null ? null : kind.name(), code, code)
        .query(Stock::line).list();
  }

  /** Use per holder and item over the window ending now: the current rate's numerator. */
  Map<Holding, Long> usedSince(Instant since) {
    Map<Holding, Long> used = new java.util.HashMap<>();
    jdbc.sql("""
            select holder_kind, holder_code, item, sum(quantity) from supply_usage_hours
            where hour >= ? group by holder_kind, holder_code, item""")
        .param(since.truncatedTo(ChronoUnit.HOURS).atOffset(ZoneOffset.UTC))
        .query((rs, i) -> used.put(key(HolderKind.valueOf(rs.getString(1)), rs.getString(2), SupplyItem.valueOf(rs.getString(3))),
            rs.getLong(4)))
        .list();
    return used;
  }

  /** One holder's one item: a key of the rate and settlement maps. */
  record Holding(HolderKind kind, String code, SupplyItem item) {}

  static Holding key(HolderKind kind, String code, SupplyItem item) {
    return new Holding(kind, code, item);
  }

  /** The holder exists: a warehouse here, a site or lab in the directory; 404 otherwise. */
  String requireHolder(HolderKind kind, String holderCode) {
    String code = ApiException.required("holderCode", holderCode);
    boolean exists = switch (kind) {
      case WAREHOUSE -> jdbc.sql("select count(*) from supply_warehouses where code = ?").param(code).query(Long.class).single() > 0;
      case SITE -> directory.site(code).isPresent();
      case LAB -> directory.lab(code).isPresent();
    };
    if (!exists) {
      throw ApiException.notFound("HOLDER_NOT_FOUND", "No " + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + code);
    }
    return code;
  }

  static String holderWords(HolderKind kind) {
    return switch (kind) {
      case WAREHOUSE -> "仓库";
      case SITE -> "采样点";
      case LAB -> "实验室";
    };
  }

  private java.time.OffsetDateTime now() {
    return clock.instant().atOffset(ZoneOffset.UTC);
  }

  private static Line line(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    java.time.OffsetDateTime at = rs.getObject(6, java.time.OffsetDateTime.class);
    return new Line(HolderKind.valueOf(rs.getString(1)), rs.getString(2), SupplyItem.valueOf(rs.getString(3)), rs.getLong(4),
        rs.getLong(5), at == null ? null : at.toInstant());
  }
}
