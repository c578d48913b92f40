package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The PCR bench: a 96-well plate with up to 94 tubes in row-major order (A1 … H10), the
 * positive control in H11 and the no-template control in H12, and the instrument's CSV export
 * ({@code Well,Target,Ct}, three rows per well: ORF1ab, N, IC) for it. A well is positive when
 * a member of its tube is infected: ORF1ab and N amplify well below the cut-off of 35.
 */
final class Instrument {

  static final int COLUMNS = 12;
  static final int TUBE_WELLS = 94;
  static final String POSITIVE_CONTROL = "H11";
  static final String NEGATIVE_CONTROL = "H12";

  private Instrument() {}

  /** The well at this 0-based row-major index: 0 → A1, 11 → A12, 12 → B1, 95 → H12. */
  static String well(int index) {
    if (index < 0 || index >= 96) {
      throw new IllegalArgumentException("well index must be 0..95, was " + index);
    }
    return String.valueOf((char) ('A' + index / COLUMNS)) + (index % COLUMNS + 1);
  }

  /** The lab quality a simulated lab keeps: its control lot's targets, as registered by the director. */
  static final double PC_ORF1AB_MEAN = 27.5;
  static final double PC_N_MEAN = 28.2;
  static final double PC_IC_MEAN = 27.0;
  static final double PC_SD = 0.5;

  /** The positive control's Cts on one run. */
  record PositiveControl(double orf1ab, double n, double ic) {
    static final PositiveControl ON_TARGET = new PositiveControl(PC_ORF1AB_MEAN, PC_N_MEAN, PC_IC_MEAN);
  }

  /** The body of {@code POST /labs/{lab}/runs}. */
  static Map<String, Object> runBody(String plateCode, List<String> tubeCodes) {
    return runBody(plateCode, tubeCodes, null, null);
  }

  /** The body of {@code POST /labs/{lab}/runs} naming the kit lot and cycler (left out when null). */
  static Map<String, Object> runBody(String plateCode, List<String> tubeCodes, String reagentLot, String cycler) {
    check(tubeCodes.size());
    List<Map<String, Object>> wells = new ArrayList<>();
    for (int i = 0; i < tubeCodes.size(); i++) {
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("well", well(i));
      w.put("tubeCode", tubeCodes.get(i));
      wells.add(w);
    }
    wells.add(Map.of("well", POSITIVE_CONTROL, "control", "POSITIVE"));
    wells.add(Map.of("well", NEGATIVE_CONTROL, "control", "NEGATIVE"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("plateCode", plateCode);
    body.put("wells", wells);
    if (reagentLot != null) {
      body.put("reagentLot", reagentLot);
    }
    if (cycler != null) {
      body.put("cycler", cycler);
    }
    return body;
  }

  /**
   * The instrument export for a plate whose i-th tube is positive when {@code positive[i]}.
   * Ct values vary a little by well, like a real run; the file is a pure function of its input,
   * so uploading it twice sends the same bytes.
   */
  static String csv(boolean[] positive) {
    return csv(positive, PositiveControl.ON_TARGET);
  }

  /** The instrument export with the positive control at these Cts (QC drift and scatter). */
  static String csv(boolean[] positive, PositiveControl pc) {
    check(positive.length);
    StringBuilder b = new StringBuilder(64 + (positive.length + 2) * 60);
    b.append("Well,Target,Ct\n");
    for (int i = 0; i < positive.length; i++) {
      String w = well(i);
      if (positive[i]) {
        double orf = 22.0 + (i % 7) * 0.9;
        row(b, w, "ORF1ab", ct(orf));
        row(b, w, "N", ct(orf + 1.2));
        row(b, w, "IC", ct(27.0 + (i % 5) * 0.3));
      } else {
        row(b, w, "ORF1ab", "Undetermined");
        row(b, w, "N", "Undetermined");
        row(b, w, "IC", ct(26.0 + (i % 40) / 10.0));
      }
    }
    row(b, POSITIVE_CONTROL, "ORF1ab", ct2(pc.orf1ab()));
    row(b, POSITIVE_CONTROL, "N", ct2(pc.n()));
    row(b, POSITIVE_CONTROL, "IC", ct2(pc.ic()));
    row(b, NEGATIVE_CONTROL, "ORF1ab", "Undetermined");
    row(b, NEGATIVE_CONTROL, "N", "Undetermined");
    row(b, NEGATIVE_CONTROL, "IC", "Undetermined");
    return b.toString();
  }

  /** Two decimals, a trailing zero dropped: 27.5 stays "27.5" and 27.0 "27.0", as instruments print them. */
  private static String ct2(double v) {
    String s = String.format(Locale.ROOT, "%.2f", v);
    return s.endsWith("0") ? s.substring(0, s.length() - 1) : s;
  }

  private static String ct(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static void row(StringBuilder b, String well, String target, String ct) {
    b.append(well).append(',').append(target).append(',').append(ct).append('\n');
  }

  private static void check(int tubes) {
    if (tubes < 1 || tubes > TUBE_WELLS) {
      throw new IllegalArgumentException("a plate holds 1.." + TUBE_WELLS + " tubes besides its controls, not " + tubes);
    }
  }
}
