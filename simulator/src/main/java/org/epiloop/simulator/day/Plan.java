package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Campaign planning (D3), pure arithmetic: for a population, a pool size, a deadline and the
 * rates of stations, couriers and labs, how many collection terminals (stations), sites,
 * couriers, PCR runs, instruments and labs the campaign needs, and which pool size Dorfman's
 * two-stage pooling makes cheapest at a prevalence.
 *
 * <p>Time line: sampling runs for {@link #samplingHours}; the last sample still has to be
 * carried to a lab and tested, and where pools can be positive their members retested in single
 * tubes (one more transport and lab cycle), all before the deadline.
 */
public final class Plan {

  /** The allowed tube capacities. */
  public static final int[] CAPACITIES = {1, 5, 10, 20};
  public static final int WELLS_PER_RUN = 94;

  /** What the plan is computed from. */
  public record Input(long population, int pool, double singleShare, double prevalence, double deadlineHours,
      Double samplingHoursOverride, double stationRatePerHour, int terminalsPerSite, int boxSize, double courierTripMinutes,
      int boxesPerTrip, double transportLimitHours, double runMinutes, int instrumentsPerLab, double labDailyRunsOverride) {

    /** The defaults of the plan command for a population. */
    public static Input defaults(long population) {
      return new Input(population, 10, 0.05, 0.0001, 24, null, 200, 6, 50, 60, 4, 3, 150, 8, 0);
    }

    List<String> problems() {
      List<String> p = new ArrayList<>();
      if (population < 1) {
        p.add("--population must be at least 1");
      }
      boolean ok = false;
      for (int c : CAPACITIES) {
        ok |= c == pool;
      }
      if (!ok) {
        p.add("--pool must be 1, 5, 10 or 20");
      }
      if (!(singleShare >= 0 && singleShare <= 1) || !(prevalence >= 0 && prevalence <= 1)) {
        p.add("--single-share and --prevalence must be between 0 and 1");
      }
      if (!(deadlineHours > 0) || !(stationRatePerHour > 0) || terminalsPerSite < 1 || boxSize < 1 || !(courierTripMinutes > 0)
          || boxesPerTrip < 1 || !(transportLimitHours > 0) || !(runMinutes > 0) || instrumentsPerLab < 1) {
        p.add("hours, rates, sizes and counts must be positive");
      }
      if (courierTripMinutes / 60 / 2 >= transportLimitHours) {
        p.add("a one-way courier trip (--courier-trip-minutes / 2) must be shorter than --transport-limit-hours");
      }
      return p;
    }
  }

  /** The best pool size over a range and its expected tests per person. */
  public record Best(int pool, double testsPerPerson) {}

  /** The plan. */
  public record Result(Input in, double samplingHours, double lastMileHours, long pooledPersons, long singlePersons,
      long pooledTubes, long singleTubes, double positivePools, double retestTubes, double tubes, double testsPerPerson,
      long terminals, long sites, double boxes, double couriers, long courierTripsPerHour, double runs, double runsPerInstrument,
      long instruments, long labs, double scansPerSecond, double peakRunsPerHour, Best bestAny, Best bestAllowed,
      List<String> warnings) {}

  private Plan() {}

  /** Dorfman: expected tests per person with pools of {@code k} at prevalence {@code p}; 1 for single tubes. */
  public static double dorfman(int k, double p) {
    if (k < 1) {
      throw new IllegalArgumentException("pool size must be >= 1");
    }
    if (k == 1) {
      return 1.0;
    }
    return 1.0 / k + 1.0 - Math.pow(1.0 - p, k);
  }

  /** The pool size among {@code sizes} with the fewest expected tests per person (the smaller on a tie). */
  public static Best best(double p, int... sizes) {
    Best best = null;
    for (int k : sizes) {
      double e = dorfman(k, p);
      if (best == null || e < best.testsPerPerson() - 1e-12) {
        best = new Best(k, e);
      }
    }
    return best;
  }

  /** The best pool size over 1..32. */
  public static Best bestUpTo32(double p) {
    int[] all = new int[32];
    for (int i = 0; i < 32; i++) {
      all[i] = i + 1;
    }
    return best(p, all);
  }

  public static Result compute(Input in) {
    List<String> problems = in.problems();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
    List<String> warnings = new ArrayList<>();
    double p = in.prevalence();
    double tripHours = in.courierTripMinutes() / 60.0;
    double runHours = in.runMinutes() / 60.0;
    // one cycle after the last sample: it waits for a pickup at most the transport limit, then the lab runs it
    double cycle = in.transportLimitHours() + runHours;
    boolean retests = in.pool() > 1 && p > 0;
    double lastMile = retests ? 2 * cycle : cycle;
    double sampling = in.samplingHoursOverride() != null ? in.samplingHoursOverride() : in.deadlineHours() - lastMile;
    if (sampling <= 0) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "no time to sample: the deadline of %.1f h leaves nothing after the %.1f h the last sample needs to a result%s",
          in.deadlineHours(), lastMile, retests ? " and a single-tube retest" : ""));
    }
    if (in.samplingHoursOverride() != null && sampling + lastMile > in.deadlineHours()) {
      warnings.add(String.format(Locale.ROOT, "sampling for %.1f h plus %.1f h for the last results misses the %.1f h deadline",
          sampling, lastMile, in.deadlineHours()));
    }

    long singles = in.pool() == 1 ? in.population() : Math.round(in.population() * in.singleShare());
    long pooledPersons = in.population() - singles;
    long pooledTubes = in.pool() == 1 ? 0 : (pooledPersons + in.pool() - 1) / in.pool();
    double positivePools = pooledTubes * (1 - Math.pow(1 - p, in.pool()));
    double retestTubes = positivePools * in.pool();
    double tubes = pooledTubes + singles + retestTubes;
    double testsPerPerson = tubes / in.population();

    long terminals = (long) Math.ceil(in.population() / (in.stationRatePerHour() * sampling));
    long sites = (terminals + in.terminalsPerSite() - 1) / in.terminalsPerSite();

    double tubesPerHour = (pooledTubes + singles) / sampling;
    double boxes = Math.ceil((pooledTubes + singles) / (double) in.boxSize()) + Math.ceil(retestTubes / in.boxSize());
    double boxesPerHour = tubesPerHour / in.boxSize();
    // every site must be visited often enough that a sample reaches the lab within the limit
    double pickupInterval = Math.max(0.25, in.transportLimitHours() - tripHours / 2);
    double tripsPerHour = Math.max(boxesPerHour / in.boxesPerTrip(), sites / pickupInterval);
    long courierTrips = (long) Math.ceil(tripsPerHour);
    double couriers = Math.ceil(tripsPerHour * tripHours);

    double runs = Math.ceil((pooledTubes + singles) / (double) WELLS_PER_RUN) + Math.ceil(retestTubes / WELLS_PER_RUN);
    // a lab runs from the first arrivals until the last sample's result is due
    double labHours = sampling + lastMile - tripHours / 2;
    double runsPerInstrument = in.labDailyRunsOverride() > 0 ? in.labDailyRunsOverride() : Math.floor(labHours / runHours);
    if (runsPerInstrument < 1) {
      runsPerInstrument = 1;
      warnings.add("a run takes longer than the lab has: every instrument runs once");
    }
    long instruments = (long) Math.ceil(runs / runsPerInstrument);
    long labs = (instruments + in.instrumentsPerLab() - 1) / in.instrumentsPerLab();
    double scansPerSecond = in.population() / (sampling * 3600);
    double peakRunsPerHour = tubesPerHour / WELLS_PER_RUN;
    int[] allowed = CAPACITIES;
    return new Result(in, sampling, lastMile, pooledPersons, singles, pooledTubes, singles, positivePools, retestTubes, tubes,
        testsPerPerson, terminals, sites, boxes, couriers, courierTrips, runs, runsPerInstrument, instruments, labs, scansPerSecond,
        peakRunsPerHour, bestUpTo32(p), best(p, allowed), warnings);
  }

  /** The plan as Markdown. */
  public static String markdown(Result r) {
    Input in = r.in();
    StringBuilder b = new StringBuilder();
    line(b, "# Campaign plan: %,d persons, results within %.1f h", in.population(), in.deadlineHours());
    line(b, "");
    line(b, "Assumptions: pool %d (single-tube share %s), prevalence %s; a terminal samples %.0f persons/h; %d terminals per site; "
            + "boxes of %d tubes; a courier round trip takes %.0f min and carries %d boxes; samples reach the lab within %.1f h; a PCR "
            + "run of %d wells takes %.0f min; %d instruments per lab.",
        in.pool(), in.singleShare(), in.prevalence(), in.stationRatePerHour(), in.terminalsPerSite(), in.boxSize(),
        in.courierTripMinutes(), in.boxesPerTrip(), in.transportLimitHours(), WELLS_PER_RUN, in.runMinutes(), in.instrumentsPerLab());
    line(b, "");
    line(b, "| quantity | value | how |");
    line(b, "|---|---:|---|");
    line(b, "| sampling window | %.1f h | deadline − %.1f h for the last sample's transport and run%s |", r.samplingHours(),
        r.lastMileHours(), r.lastMileHours() > in.transportLimitHours() + in.runMinutes() / 60 + 1e-9 ? " and its pool's retest" : "");
    line(b, "| collection terminals (stations) | %,d | population / (%.0f per h × %.1f h) |", r.terminals(), in.stationRatePerHour(),
        r.samplingHours());
    line(b, "| sampling sites | %,d | terminals / %d |", r.sites(), in.terminalsPerSite());
    line(b, "| binding scans per second, city-wide | %.1f | the load on the server while sampling |", r.scansPerSecond());
    line(b, "| tubes: pooled + single + retest | %,d + %,d + %,.0f | pools of %d; %,.1f positive pools expected |", r.pooledTubes(),
        r.singleTubes(), r.retestTubes(), in.pool(), r.positivePools());
    line(b, "| expected tests (tubes) per person | %.4f | Dorfman 1/k + 1 − (1−p)^k for the pooled share |", r.testsPerPerson());
    line(b, "| transport boxes | %,.0f | tubes / %d |", r.boxes(), in.boxSize());
    line(b, "| courier trips per hour | %,d | max(boxes per h / %d, sites / pickup interval) |", r.courierTripsPerHour(), in.boxesPerTrip());
    line(b, "| couriers | %,.0f | trips per h × %.0f min |", r.couriers(), in.courierTripMinutes());
    line(b, "| PCR runs (plates of %d) | %,.0f | peak %.1f runs per hour while sampling |", WELLS_PER_RUN, r.runs(), r.peakRunsPerHour());
    line(b, "| runs per instrument | %.0f | lab hours / %.0f min |", r.runsPerInstrument(), in.runMinutes());
    line(b, "| PCR instruments | %,d | runs / runs per instrument |", r.instruments());
    line(b, "| labs | %,d | instruments / %d |", r.labs(), in.instrumentsPerLab());
    line(b, "");
    line(b, "## Pool size (Dorfman, prevalence %s)", in.prevalence());
    line(b, "");
    line(b, "Expected tests per person with pools of k: 1/k + 1 − (1−p)^k (single tubes: 1).");
    line(b, "");
    line(b, "| k | tests per person | |");
    line(b, "|---:|---:|---|");
    java.util.TreeSet<Integer> ks = new java.util.TreeSet<>(List.of(1, 2, 3, 4, 5, 8, 10, 12, 15, 16, 20, 25, 32));
    ks.add(r.bestAny().pool());
    ks.add(in.pool());
    for (int k : ks) {
      String mark = (k == r.bestAny().pool() ? "best over 1..32; " : "") + (k == r.bestAllowed().pool() ? "best allowed tube size; " : "")
          + (k == in.pool() ? "planned" : "");
      line(b, "| %d | %.4f | %s |", k, dorfman(k, in.prevalence()), mark.replaceAll("; $", ""));
    }
    line(b, "");
    line(b, "- Best pool size over 1..32: **%d** (%.4f tests per person).", r.bestAny().pool(), r.bestAny().testsPerPerson());
    line(b, "- Best among the tube sizes 1, 5, 10, 20: **%d** (%.4f tests per person).", r.bestAllowed().pool(),
        r.bestAllowed().testsPerPerson());
    for (String w : r.warnings()) {
      line(b, "- Warning: %s", w);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, String format, Object... args) {
    b.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
  }
}
