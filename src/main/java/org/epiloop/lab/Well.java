package org.epiloop.lab;

import java.util.Optional;
import org.epiloop.shared.ApiException;

/**
 * A position on a 96-well PCR plate, rows A–H and columns 1–12. Plates are loaded and results
 * come back by well, so the well is the key that joins a tube to its Ct values; keeping it a
 * validated value (rather than a string) means "A01", "a1" and "A1" are the same well.
 *
 * @param row upper-case row letter, {@code 'A'} to {@code 'H'}
 * @param column column number, 1 to 12
 */
record Well(char row, int column) implements Comparable<Well> {

  static final int ROWS = 8;
  static final int COLUMNS = 12;
  /** Number of wells on a plate. */
  static final int COUNT = ROWS * COLUMNS;

  Well {
    if (row < 'A' || row > 'H' || column < 1 || column > COLUMNS) {
      throw invalid(String.valueOf(row) + column);
    }
  }

  /**
   * Reads a well such as {@code "A1"}, {@code "H12"}, {@code "a01"} or {@code " A01 "}.
   *
   * @throws ApiException 400 {@code INVALID_WELL} (field {@code well}) for anything else
   */
  static Well parse(String text) {
    return tryParse(text).orElseThrow(() -> invalid(text));
  }

  /** Like {@link #parse(String)} but empty instead of failing; never throws. */
  static Optional<Well> tryParse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.strip();
    if (s.length() < 2 || s.length() > 3) {
      return Optional.empty();
    }
    char row = Character.toUpperCase(s.charAt(0));
    if (row < 'A' || row > 'H') {
      return Optional.empty();
    }
    int column = 0;
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      column = column * 10 + (c - '0');
    }
    return column >= 1 && column <= COLUMNS ? Optional.of(new Well(row, column)) : Optional.empty();
  }

  /** Position in row-major order, 0 for A1 to 95 for H12. */
  int index() {
    return (row - 'A') * COLUMNS + (column - 1);
  }

  /** The well at a row-major {@link #index()}. */
  static Well ofIndex(int index) {
    if (index < 0 || index >= COUNT) {
      throw new IllegalArgumentException("well index must be 0 to 95, was " + index);
    }
    return new Well((char) ('A' + index / COLUMNS), index % COLUMNS + 1);
  }

  /** Row first, then column: A1, A2 … A12, B1 … H12. */
  @Override
  public int compareTo(Well other) {
    return Integer.compare(index(), other.index());
  }

  /** The canonical spelling, for example {@code A1} or {@code H12}. */
  @Override
  public String toString() {
    return String.valueOf(row) + column;
  }

  private static ApiException invalid(String text) {
    String shown = text == null ? "nothing" : "'" + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'";
    return ApiException.badRequest("INVALID_WELL", "well", "A well is A1 to H12 (rows A-H, columns 1-12), not " + shown);
  }
}
