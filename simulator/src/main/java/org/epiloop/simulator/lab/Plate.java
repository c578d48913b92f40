package org.epiloop.simulator.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A 96-well PCR plate as the lab bench loads it: up to 94 sample tubes in row-major order (A1,
 * A2 … A12, B1 … H10), the positive control in H11 and the negative control in H12; and the
 * instrument's CSV export ({@code Well,Target,Ct}) for a run whose samples are all negative.
 */
final class Plate {

  static final int ROWS = 8;
  static final int COLUMNS = 12;
  static final int WELLS = ROWS * COLUMNS;
  /** Sample wells: all but the two control wells. */
  static final int TUBE_WELLS = WELLS - 2;
  static final String POSITIVE_CONTROL_WELL = "H11";
  static final String NEGATIVE_CONTROL_WELL = "H12";

  private Plate() {}

  /** The well at this 0-based row-major index: 0 → A1, 11 → A12, 12 → B1, 95 → H12. */
  static String well(int index) {
    if (index < 0 || index >= WELLS) {
      throw new IllegalArgumentException("well index must be 0.." + (WELLS - 1) + ", was " + index);
    }
    return String.valueOf((char) ('A' + index / COLUMNS)) + (index % COLUMNS + 1);
  }

  /** The body of {@code POST /api/v1/labs/{lab}/runs}: the tubes in A1… and both controls. */
  static Map<String, Object> runBody(String plateCode, List<String> tubeCodes) {
    checkTubes(tubeCodes.size());
    List<Map<String, Object>> wells = new ArrayList<>(tubeCodes.size() + 2);
    for (int i = 0; i < tubeCodes.size(); i++) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("well", well(i));
      w.put("tubeCode", tubeCodes.get(i));
      wells.add(w);
    }
    wells.add(control(POSITIVE_CONTROL_WELL, "POSITIVE"));
    wells.add(control(NEGATIVE_CONTROL_WELL, "NEGATIVE"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plateCode", plateCode);
    body.put("wells", wells);
    return body;
  }

  private static Map<String, Object> control(String well, String kind) {
    Map<String, Object> w = new LinkedHashMap<>();
    w.put("well", well);
    w.put("control", kind);
    return w;
  }

  /**
   * The instrument export of a plate with {@code tubes} sample wells, all negative: ORF1ab and N
   * {@code Undetermined}, the internal control amplified (Ct 26.0–29.9, varying by well); the
   * positive control H11 ORF1ab 27.5, N 28.2, IC 27.0; the negative control H12 Undetermined
   * throughout. LF line ends, a header row, three rows per well.
   */
  static String negativeCsv(int tubes) {
    checkTubes(tubes);
    StringBuilder b = new StringBuilder(64 + (tubes + 2) * 3 * 20);
    b.append("Well,Target,Ct\n");
    for (int i = 0; i < tubes; i++) {
      String w = well(i);
      row(b, w, "ORF1ab", "Undetermined");
      row(b, w, "N", "Undetermined");
      row(b, w, "IC", String.format(Locale.ROOT, "%.1f", 26.0 + (i % 40) / 10.0));
    }
    row(b, POSITIVE_CONTROL_WELL, "ORF1ab", "27.5");
    row(b, POSITIVE_CONTROL_WELL, "N", "28.2");
    row(b, POSITIVE_CONTROL_WELL, "IC", "27.0");
    row(b, NEGATIVE_CONTROL_WELL, "ORF1ab", "Undetermined");
    row(b, NEGATIVE_CONTROL_WELL, "N", "Undetermined");
    row(b, NEGATIVE_CONTROL_WELL, "IC", "Undetermined");
    return b.toString();
  }

  private static void row(StringBuilder b, String well, String target, String ct) {
    b.append(well).append(',').append(target).append(',').append(ct).append('\n');
  }

  private static void checkTubes(int tubes) {
    if (tubes < 1 || tubes > TUBE_WELLS) {
      throw new IllegalArgumentException("a plate holds 1.." + TUBE_WELLS + " tubes besides its controls, not " + tubes);
    }
  }
}
