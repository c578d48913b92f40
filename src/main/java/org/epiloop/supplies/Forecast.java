package org.epiloop.supplies;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.epiloop.shared.ApiException;
import org.springframework.stereotype.Service;

/**
 * The shortage forecast of a campaign (G1): from the planner's numbers — persons, pool size,
 * single-tube share, the campaign's sites and labs (the {@code plan} command's figures) — what
 * each site and lab needs, what it holds, what it lacks, and how long its stock lasts at the
 * current rate of use; then, per item, whether the warehouses can cover what the holders lack.
 *
 * <p>The arithmetic is the planner's: persons are shared evenly over the sites (the first sites
 * take the remainder); at a site the single-tube share is rounded to persons, the rest pooled in
 * tubes of the pool size (the last one part full); one swab per person; one PPE set per
 * {@code personsPerPpeSet} persons; a lab gets the tubes evenly (the first labs take the
 * remainder) on plates of 94 samples and 2 controls, 96 reactions a plate.
 */
@Service
class Forecast {

  static final int SAMPLES_PER_PLATE = 94;
  static final int WELLS_PER_PLATE = 96;

  /** {@code warehouseCodes}: the warehouses serving the campaign (empty: all). */
  record Input(Long persons, Integer pool, Double singleShare, List<String> siteCodes, List<String> labCodes,
      List<String> warehouseCodes) {}

  /** One holder's one item. {@code hoursUntilOut}: null when nothing was used in the rate window. */
  record Row(HolderKind holderKind, String holderCode, SupplyItem item, long needed, long onHand, long shortfall,
      Double usePerHour, Double hoursUntilOut) {}

  /** One item city-wide: what the holders lack against what the warehouses hold. */
  record ItemTotal(SupplyItem item, long needed, long onHand, long shortfall, long inWarehouses, long uncovered) {}

  record Result(long persons, int pool, double singleShare, List<Row> rows, List<ItemTotal> totals) {}

  private final Stock stock;
  private final Clock clock;
  private final SuppliesProperties properties;

  Forecast(Stock stock, Clock clock, SuppliesProperties properties) {
    this.stock = stock;
    this.clock = clock;
    this.properties = properties;
  }

  Result forecast(Input in) {
    long persons = ApiException.required("persons", in.persons());
    if (persons < 1 || persons > 100_000_000L) {
      throw ApiException.badRequest("VALIDATION_FAILED", "persons", "persons must be 1–100000000");
    }
    int pool = ApiException.required("pool", in.pool());
    if (pool != 1 && pool != 5 && pool != 10 && pool != 20) {
      throw ApiException.badRequest("VALIDATION_FAILED", "pool", "pool must be 1, 5, 10 or 20");
    }
    double single = in.singleShare() == null ? 0 : in.singleShare();
    if (!(single >= 0 && single <= 1)) {
      throw ApiException.badRequest("VALIDATION_FAILED", "singleShare", "singleShare must be between 0 and 1");
    }
    List<String> sites = codes("siteCodes", in.siteCodes(), HolderKind.SITE, true);
    List<String> labs = codes("labCodes", in.labCodes(), HolderKind.LAB, false);
    java.util.Set<String> serving = java.util.Set.copyOf(codes("warehouseCodes", in.warehouseCodes(), HolderKind.WAREHOUSE, false));

    Duration window = properties.rateWindow();
    Map<Stock.Holding, Long> used = stock.usedSince(clock.instant().minus(window));
    double hours = window.toSeconds() / 3600.0;
    List<Row> rows = new ArrayList<>();
    long tubesTotal = 0;
    for (int s = 0; s < sites.size(); s++) {
      long p = share(persons, sites.size(), s);
      long singles = pool == 1 ? p : Math.round(p * single);
      long pooled = p - singles;
      Map<SupplyItem, Long> need = new EnumMap<>(SupplyItem.class);
      need.put(SupplyItem.SWAB, p);
      need.put(SupplyItem.TUBE_1, singles);
      if (pool > 1) {
        need.put(SupplyItem.tube(pool), (pooled + pool - 1) / pool);
      }
      need.put(SupplyItem.PPE_SET, (p + properties.personsPerPpeSet() - 1) / properties.personsPerPpeSet());
      tubesTotal += singles + (pool > 1 ? (pooled + pool - 1) / pool : 0);
      for (Map.Entry<SupplyItem, Long> e : need.entrySet()) {
        rows.add(row(HolderKind.SITE, sites.get(s), e.getKey(), e.getValue(), used, hours));
      }
    }
    for (int l = 0; l < labs.size(); l++) {
      long tubes = share(tubesTotal, labs.size(), l);
      long reactions = (tubes + SAMPLES_PER_PLATE - 1) / SAMPLES_PER_PLATE * WELLS_PER_PLATE;
      rows.add(row(HolderKind.LAB, labs.get(l), SupplyItem.PCR_REACTION, reactions, used, hours));
    }
    Map<SupplyItem, long[]> sums = new EnumMap<>(SupplyItem.class);
    for (Row r : rows) {
      long[] t = sums.computeIfAbsent(r.item(), k -> new long[3]);
      t[0] += r.needed();
      t[1] += r.onHand();
      t[2] += r.shortfall();
    }
    Map<SupplyItem, Long> warehouses = new EnumMap<>(SupplyItem.class);
    for (Stock.Line line : stock.lines(HolderKind.WAREHOUSE, null)) {
      if (!serving.isEmpty() && !serving.contains(line.holderCode())) {
        continue;
      }
      warehouses.merge(line.item(), line.quantity(), Long::sum);
    }
    List<ItemTotal> totals = new ArrayList<>();
    sums.forEach((item, t) -> {
      long w = warehouses.getOrDefault(item, 0L);
      totals.add(new ItemTotal(item, t[0], t[1], t[2], w, Math.max(0, t[2] - w)));
    });
    return new Result(persons, pool, single, rows, totals);
  }

  private Row row(HolderKind kind, String code, SupplyItem item, long needed, Map<Stock.Holding, Long> used, double hours) {
    long onHand = stock.line(kind, code, item).quantity();
    long u = used.getOrDefault(Stock.key(kind, code, item), 0L);
    Double rate = u == 0 ? null : u / hours;
    Double until = rate == null ? null : onHand / rate;
    return new Row(kind, code, item, needed, onHand, Math.max(0, needed - onHand), rate, until);
  }

  /** Holder {@code i}'s share of {@code total} over {@code n}: even, the first ones take the remainder. */
  static long share(long total, int n, int i) {
    return total / n + (i < total % n ? 1 : 0);
  }

  private List<String> codes(String field, List<String> codes, HolderKind kind, boolean required) {
    if (codes == null || codes.isEmpty()) {
      if (required) {
        throw ApiException.badRequest("FIELD_REQUIRED", field, field + " must name at least one " + kind.name().toLowerCase(java.util.Locale.ROOT));
      }
      return List.of();
    }
    if (codes.size() > 5000) {
      throw ApiException.badRequest("TOO_MANY", field, field + " holds at most 5000 codes");
    }
    LinkedHashSet<String> distinct = new LinkedHashSet<>();
    for (int i = 0; i < codes.size(); i++) {
      String c = codes.get(i);
      if (c == null) {
        throw ApiException.badRequest("FIELD_REQUIRED", field + "[" + i + "]", field + "[" + i + "] is empty");
      }
      stock.requireHolder(kind, c);
      distinct.add(c);
    }
    return List.copyOf(distinct);
  }
}
