package org.epiloop.labquality;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reagent kits and consumables: lots with expiry and stock per lab. A run takes one reaction per
 * well (samples and controls alike) from the kit lot named on its plate, in the plating
 * transaction, so stock can never go below zero (a check constraint backs the conditional update).
 */
@Service
class Reagents {

  /** What a lot is. Stored as text. */
  enum Kind {
    /** A PCR kit counted in reactions; the lot a plate names. */
    KIT,
    /** Plates, tips, tubes: counted in units, kept and alerted on, not consumed by plating. */
    CONSUMABLE
  }

  private final JdbcClient jdbc;
  private final QcProperties properties;
  private final AuditTrail audit;
  private final EpiloopProperties city;
  private final Clock clock;

  Reagents(JdbcClient jdbc, QcProperties properties, AuditTrail audit, EpiloopProperties city, Clock clock) {
    this.jdbc = jdbc;
    this.properties = properties;
    this.audit = audit;
    this.city = city;
    this.clock = clock;
  }

  record NewLot(String item, String kind, String lotNumber, LocalDate expiresOn, Integer quantity, Integer lowAt) {}

  /**
   * One lot as the quality page shows it. {@code dailyUse}: the lab's mean use of this item per
   * day over the recent days (all its lots); {@code daysLeft}: this lot's remaining stock at that
   * rate, null while the lab has not used the item lately.
   */
  record Lot(UUID id, String labCode, String item, Kind kind, String lotNumber, LocalDate expiresOn, int received, int remaining,
      int lowAt, boolean expired, boolean nearExpiry, boolean low, Double dailyUse, Double daysLeft) {}

  @Transactional
  Lot add(Actor director, String labCode, NewLot body) {
    director.requireLab(labCode);
    String item = Codes.text("item", body.item(), 100);
    Kind kind;
    try {
      kind = Kind.valueOf(ApiException.required("kind", body.kind()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_REAGENT_KIND", "kind", "kind is KIT or CONSUMABLE");
    }
    String lot = Codes.code("lotNumber", body.lotNumber());
    LocalDate expires = Codes.date("expiresOn", body.expiresOn());
    int quantity = ApiException.required("quantity", body.quantity());
    if (quantity < 1 || quantity > 1_000_000) {
      throw ApiException.badRequest("INVALID_NUMBER", "quantity", "quantity is 1 to 1,000,000");
    }
    int lowAt = body.lowAt() == null ? 0 : body.lowAt();
    if (lowAt < 0 || lowAt > quantity) {
      throw ApiException.badRequest("INVALID_NUMBER", "lowAt", "lowAt is 0 to the quantity");
    }
    UUID id = UUID.randomUUID();
    try {
      jdbc.sql("""
              insert into reagent_lots (id, lab_code, item, kind, lot_number, expires_on, received, remaining, low_at, created_by, created_at)
              values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
          .params(id, labCode, item, kind.name(), lot, expires, quantity, quantity, lowAt, director.name(), utc(clock.instant())).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("LOT_EXISTS", "Lot " + lot + " is registered at this lab already");
    }
    audit.record(director, "REAGENT_LOT_ADDED", "reagent_lot", id.toString(), labCode + " " + item + " " + lot + " ×" + quantity);
    return lots(director, labCode).stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
  }

  @Transactional(readOnly = true)
  List<Lot> lots(Actor actor, String labCode) {
    actor.requireLab(labCode);
    LocalDate today = today();
    Instant since = clock.instant().minus(java.time.Duration.ofDays(properties.rateDays()));
    return jdbc.sql("""
            select l.id, l.lab_code, l.item, l.kind, l.lot_number, l.expires_on, l.received, l.remaining, l.low_at,
                   (select coalesce(sum(u.reactions), 0) from reagent_usage u where u.lab_code = l.lab_code and u.item = l.item and u.used_at >= ?)
                   + (select coalesce(sum(m.quantity), 0) from reagent_movements m
                      where m.lab_code = l.lab_code and m.item = l.item and m.kind = 'CONSUMED' and m.moved_at >= ?)
            from reagent_lots l where l.lab_code = ? order by l.kind, l.item, l.expires_on, l.lot_number""")
        .params(utc(since), utc(since), labCode)
        .query((rs, i) -> {
          LocalDate expires = rs.getObject(6, LocalDate.class);
          int remaining = rs.getInt(8);
          int lowAt = rs.getInt(9);
          long used = rs.getLong(10);
          Double daily = used == 0 ? null : Math.round(used * 10.0 / properties.rateDays()) / 10.0;
          Double daysLeft = used == 0 ? null : Math.round(remaining * 10.0 * properties.rateDays() / used) / 10.0;
          return new Lot(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), Kind.valueOf(rs.getString(4)), rs.getString(5),
              expires, rs.getInt(7), remaining, lowAt, expires.isBefore(today),
              !expires.isBefore(today) && !expires.isAfter(today.plusDays(properties.nearExpiryDays())), remaining <= lowAt, daily,
              daysLeft);
        }).list();
  }

  /** What moves a lot's stock outside plating. Stored as text. */
  enum Movement {
    /** A delivery received into the lot: received and remaining grow. */
    RESTOCK,
    /** Used outside a run (a consumable taken, reactions used off the system): counts toward the daily use. */
    CONSUMED,
    /** Damaged, lost or expired stock taken off: not use, so it does not shorten the forecast. */
    WRITTEN_OFF
  }

  record NewMovement(String kind, Integer quantity, String reason) {}

  /** One movement as the quality page lists it. */
  record MovementRow(long id, Movement kind, int quantity, String reason, String movedBy, Instant movedAt, int remainingAfter) {}

  /**
   * Restocks, consumes or writes off {@code quantity} of a lot, under the lot's row lock so that
   * plating and a manual movement cannot both take the last reactions; audited with the reason.
   * A restock of an expired lot is refused (nobody should receive stock into it); taking off more
   * than is left is refused rather than clamped, so the count on the shelf and in Epiloop agree.
   */
  @Transactional
  Lot move(Actor director, String labCode, String lotNumber, NewMovement body) {
    director.requireLab(labCode);
    Movement kind;
    try {
      kind = Movement.valueOf(ApiException.required("kind", body.kind()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_STOCK_MOVEMENT", "kind", "kind is RESTOCK, CONSUMED or WRITTEN_OFF");
    }
    int quantity = ApiException.required("quantity", body.quantity());
    if (quantity < 1 || quantity > 1_000_000) {
      throw ApiException.badRequest("INVALID_NUMBER", "quantity", "quantity is 1 to 1,000,000");
    }
    String reason = body.reason() == null || body.reason().isBlank() ? null : Codes.text("reason", body.reason(), 500);
    if (kind == Movement.WRITTEN_OFF && reason == null) {
      throw ApiException.badRequest("FIELD_REQUIRED", "reason", "say why stock is written off");
    }
    record Row(UUID id, String item, LocalDate expires, int received, int remaining) {}
    Row lot = jdbc.sql("select id, item, expires_on, received, remaining from reagent_lots where lab_code = ? and lot_number = ? for update")
        .params(labCode, lotNumber)
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getInt(4), rs.getInt(5)))
        .optional()
        .orElseThrow(() -> ApiException.notFound("REAGENT_LOT_NOT_FOUND", "No lot " + lotNumber + " at this lab"));
    int remaining;
    switch (kind) {
      case RESTOCK -> {
        if (lot.expires().isBefore(today())) {
          throw ApiException.unprocessable("REAGENT_LOT_EXPIRED", "lotNumber", "Lot " + lotNumber + " expired on " + lot.expires()
              + "; register the delivery as a new lot");
        }
        if ((long) lot.received() + quantity > Integer.MAX_VALUE / 2) {
          throw ApiException.badRequest("INVALID_NUMBER", "quantity", "the lot would hold too much");
        }
        remaining = lot.remaining() + quantity;
        jdbc.sql("update reagent_lots set received = received + ?, remaining = remaining + ? where id = ?")
            .params(quantity, quantity, lot.id()).update();
      }
      default -> {
        if (lot.remaining() < quantity) {
          throw ApiException.unprocessable("STOCK_INSUFFICIENT", "quantity", "Lot " + lotNumber + " has " + lot.remaining()
              + " left; " + quantity + " cannot be taken off");
        }
        remaining = lot.remaining() - quantity;
        jdbc.sql("update reagent_lots set remaining = remaining - ? where id = ?").params(quantity, lot.id()).update();
      }
    }
    jdbc.sql("""
            insert into reagent_movements (lot_id, lab_code, item, kind, quantity, reason, moved_by, moved_at, remaining_after)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
        .params(lot.id(), labCode, lot.item(), kind.name(), quantity, reason, director.name(), utc(clock.instant()), remaining).update();
    audit.record(director, "REAGENT_" + kind.name(), "reagent_lot", lot.id().toString(),
        labCode + " " + lotNumber + " " + kind.name() + " ×" + quantity + " → " + remaining + (reason == null ? "" : ": " + reason));
    return lots(director, labCode).stream().filter(l -> l.id().equals(lot.id())).findFirst().orElseThrow();
  }

  /** A lot's movements, newest first. */
  @Transactional(readOnly = true)
  List<MovementRow> movements(Actor actor, String labCode, String lotNumber) {
    actor.requireLab(labCode);
    UUID lot = jdbc.sql("select id from reagent_lots where lab_code = ? and lot_number = ?").params(labCode, lotNumber).query(UUID.class)
        .optional().orElseThrow(() -> ApiException.notFound("REAGENT_LOT_NOT_FOUND", "No lot " + lotNumber + " at this lab"));
    return jdbc.sql("""
            select id, kind, quantity, reason, moved_by, moved_at, remaining_after from reagent_movements
            where lot_id = ? order by id desc limit 200""")
        .param(lot)
        .query((rs, i) -> new MovementRow(rs.getLong(1), Movement.valueOf(rs.getString(2)), rs.getInt(3), rs.getString(4), rs.getString(5),
            rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getInt(7)))
        .list();
  }

  /**
   * Takes {@code reactions} from the kit lot a plate names, refusing in plain words a lot that is
   * unknown here, expired (its expiry date is before today in the city) or has fewer reactions
   * left than the plate has wells. A lab that registered a kit lot names one on every plate.
   */
  String consume(String labCode, UUID runId, String lotNumber, int reactions) {
    if (lotNumber == null || lotNumber.isBlank()) {
      boolean digital = jdbc.sql("select exists (select 1 from reagent_lots where lab_code = ? and kind = 'KIT')").param(labCode)
          .query(Boolean.class).single();
      if (digital) {
        throw ApiException.badRequest("REAGENT_LOT_REQUIRED", "reagentLot",
            "This lab keeps its kit lots in Epiloop: name the kit lot this plate uses");
      }
      return null;
    }
    record Row(UUID id, String item, LocalDate expires, int remaining) {}
    Row lot = jdbc.sql("select id, item, expires_on, remaining from reagent_lots where lab_code = ? and lot_number = ? and kind = 'KIT' for update")
        .params(labCode, lotNumber)
        .query((rs, i) -> new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class), rs.getInt(4)))
        .optional()
        .orElseThrow(() -> ApiException.unprocessable("REAGENT_LOT_UNKNOWN", "reagentLot", "No kit lot " + lotNumber + " at this lab"));
    if (lot.expires().isBefore(today())) {
      throw ApiException.unprocessable("REAGENT_LOT_EXPIRED", "reagentLot",
          "Kit lot " + lotNumber + " (" + lot.item() + ") expired on " + lot.expires() + "; take a lot that is in date");
    }
    if (lot.remaining() < reactions) {
      throw ApiException.unprocessable("REAGENT_LOT_EMPTY", "reagentLot", "Kit lot " + lotNumber + " has " + lot.remaining()
          + " reactions left and this plate needs " + reactions + "; open a new lot");
    }
    jdbc.sql("update reagent_lots set remaining = remaining - ? where id = ?").params(reactions, lot.id()).update();
    jdbc.sql("insert into reagent_usage (lot_id, run_id, lab_code, item, reactions, used_at) values (?, ?, ?, ?, ?, ?)")
        .params(lot.id(), runId, labCode, lot.item(), reactions, utc(clock.instant())).update();
    return lotNumber;
  }

  /** Lots that are low, expired or near expiry in every lab: the computed alerts. */
  List<Lot> attention() {
    List<String> labs = jdbc.sql("select distinct lab_code from reagent_lots where remaining <= low_at or expires_on <= ?")
        .param(today().plusDays(properties.nearExpiryDays())).query(String.class).list();
    return labs.stream().flatMap(l -> lots(Actor.SYSTEM, l).stream())
        .filter(l -> l.low() || l.expired() || l.nearExpiry()).toList();
  }

  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), city.zone());
  }

  private static OffsetDateTime utc(Instant i) {
    return i.atOffset(ZoneOffset.UTC);
  }
}
