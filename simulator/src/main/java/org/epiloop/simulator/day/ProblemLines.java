package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Problem lines of a check: how many there were, and the first {@link #SHOWN} of them (the ones a
 * report prints, like {@link Invariants#first}), so that a check over millions of items keeps
 * bounded memory however wrong the answers are.
 */
final class ProblemLines {

  static final int SHOWN = 5;

  private final List<String> first = new ArrayList<>(SHOWN);
  private long total;

  void add(String line) {
    total++;
    if (first.size() < SHOWN) {
      first.add(line);
    }
  }

  /** Adds a line built only if it will be shown. */
  void add(Supplier<String> line) {
    total++;
    if (first.size() < SHOWN) {
      first.add(line.get());
    }
  }

  /** Appends another's lines after these (its count in full, its shown lines while room is left). */
  void addAll(ProblemLines other) {
    total += other.total;
    for (String l : other.first) {
      if (first.size() < SHOWN) {
        first.add(l);
      }
    }
  }

  boolean isEmpty() {
    return total == 0;
  }

  long total() {
    return total;
  }

  List<String> shown() {
    return List.copyOf(first);
  }

  /** The shown lines joined by "; ", with "… (n in all)" when there were more: the format of {@link Invariants#first}. */
  String summary() {
    String shown = String.join("; ", first);
    return total > first.size() ? shown + " … (" + total + " in all)" : shown;
  }
}
