package org.epiloop.labquality;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Westgard multi-rules (Westgard, Barry, Hunt and Groth, 1981), in the order a reviewer reads
 * them. "Beyond" is strict: a value exactly at 2 SD breaks nothing. A <em>series</em> is one
 * control lot (one level) and one target across runs, oldest first; <em>within a run</em> means
 * the other control values of the same target on the same plate (other levels, or a second well
 * of the same level).
 *
 * <ol>
 *   <li>{@link #ONE_2S} 1-2s (warning): the value is beyond ±2 SD.
 *   <li>{@link #ONE_3S} 1-3s: the value is beyond ±3 SD (random error).
 *   <li>{@link #TWO_2S} 2-2s: the value and the one before it in its series are beyond 2 SD on
 *       the same side (across runs within a level), or the value and another value of the same
 *       run are (across levels within a run) — systematic error.
 *   <li>{@link #R_4S} R-4s: within one run, one value beyond +2 SD and another beyond −2 SD (a
 *       range over 4 SD) — random error. Never across runs: a shift between runs is what 2-2s
 *       and 4-1s catch.
 *   <li>{@link #FOUR_1S} 4-1s: the value and the three before it in its series are beyond 1 SD on
 *       the same side (across runs within a level).
 *   <li>{@link #TEN_X} 10-x: the value and the nine before it in its series lie on the same side
 *       of the mean (across runs within a level; a value exactly at the mean breaks the streak).
 * </ol>
 *
 * <p>Every rejection rule looks only at a window of the series' last points plus the same run, so
 * a history before the window never changes a verdict; the property tests hold the rules to that.
 */
final class WestgardRules {

  static final WestgardRule ONE_2S = rule("1-2s", QcSeverity.WARNING, (s, run) -> Math.abs(last(s)) > 2);

  static final WestgardRule ONE_3S = rule("1-3s", QcSeverity.REJECTION, (s, run) -> Math.abs(last(s)) > 3);

  static final WestgardRule TWO_2S = rule("2-2s", QcSeverity.REJECTION, (s, run) -> {
    double x = last(s);
    if (Math.abs(x) <= 2) {
      return false;
    }
    double side = Math.signum(x);
    boolean previous = s.size() >= 2 && s.get(s.size() - 2) * side > 2;
    return previous || run.stream().anyMatch(y -> y * side > 2);
  });

  static final WestgardRule R_4S = rule("R-4s", QcSeverity.REJECTION, (s, run) -> {
    double x = last(s);
    return Math.abs(x) > 2 && run.stream().anyMatch(y -> y * Math.signum(x) < -2);
  });

  static final WestgardRule FOUR_1S = rule("4-1s", QcSeverity.REJECTION, (s, run) -> sameSide(s, 4, 1));

  static final WestgardRule TEN_X = rule("10-x", QcSeverity.REJECTION, (s, run) -> sameSide(s, 10, 0));

  private static final List<WestgardRule> DEFAULTS = List.of(ONE_2S, ONE_3S, TWO_2S, R_4S, FOUR_1S, TEN_X);

  private static final Map<String, WestgardRule> BY_NAME =
      DEFAULTS.stream().collect(Collectors.toUnmodifiableMap(WestgardRule::name, Function.identity()));

  private WestgardRules() {}

  /** All six, in order. */
  static List<WestgardRule> defaults() {
    return DEFAULTS;
  }

  /** The rules with these names, in the given order; an unknown name fails (at start-up). */
  static List<WestgardRule> named(List<String> names) {
    return names.stream().map(n -> {
      WestgardRule r = BY_NAME.get(n);
      if (r == null) {
        throw new IllegalArgumentException("epiloop.qc.rules: unknown Westgard rule '" + n + "'; known: " + BY_NAME.keySet());
      }
      return r;
    }).toList();
  }

  /** The last {@code n} values all beyond {@code limit} SD on one side. */
  private static boolean sameSide(List<Double> s, int n, double limit) {
    if (s.size() < n) {
      return false;
    }
    List<Double> window = s.subList(s.size() - n, s.size());
    return window.stream().allMatch(z -> z > limit) || window.stream().allMatch(z -> z < -limit);
  }

  private static double last(List<Double> s) {
    return s.get(s.size() - 1);
  }

  static WestgardRule rule(String name, QcSeverity severity, BiPredicate<List<Double>, List<Double>> when) {
    return new PredicateRule(name, severity, when);
  }

  private record PredicateRule(String name, QcSeverity severity, BiPredicate<List<Double>, List<Double>> when)
      implements WestgardRule {

    PredicateRule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(severity, "severity");
    }

    @Override
    public boolean violated(List<Double> series, List<Double> sameRun) {
      return !series.isEmpty() && when.test(series, sameRun);
    }

    @Override
    public String toString() {
      return name + " (" + severity + ")";
    }
  }
}
