package org.epiloop.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds plate layouts and instrument CSV exports for tests. */
public final class Plates {

  private Plates() {}

  /** Wells A1… for the tubes, then a positive control in H11 and a negative control in H12. */
  public static Map<String, String> layout(List<String> tubes) {
    Map<String, String> wells = new LinkedHashMap<>();
    for (int i = 0; i < tubes.size(); i++) {
      wells.put(well(i), tubes.get(i));
    }
    return wells;
  }

  public static List<Map<String, Object>> wellsJson(Map<String, String> layout) {
    List<Map<String, Object>> wells = new ArrayList<>();
    layout.forEach((w, t) -> wells.add(Map.of("well", w, "tubeCode", t)));
    wells.add(Map.of("well", "H11", "control", "POSITIVE"));
    wells.add(Map.of("well", "H12", "control", "NEGATIVE"));
    return wells;
  }

  /**
   * An instrument export: positive tubes get ORF1ab 24.1 and N 25.3; others no target and IC
   * 28.0; the positive control both targets; the negative control nothing, unless it is
   * contaminated.
   */
  public static String csv(Map<String, String> layout, Set<String> positiveTubes, boolean negativeControlContaminated) {
    StringBuilder sb = new StringBuilder("Well,Sample Name,Target,Ct\n");
    layout.forEach((w, t) -> {
      boolean pos = positiveTubes.contains(t);
      sb.append(w).append(',').append(t).append(",ORF1ab,").append(pos ? "24.1" : "Undetermined").append('\n');
      sb.append(w).append(',').append(t).append(",N,").append(pos ? "25.3" : "Undetermined").append('\n');
      sb.append(w).append(',').append(t).append(",IC,28.0\n");
    });
    sb.append("H11,PC,ORF1ab,27.5\nH11,PC,N,28.2\nH11,PC,IC,27.0\n");
    sb.append("H12,NTC,ORF1ab,").append(negativeControlContaminated ? "33.0" : "Undetermined").append("\nH12,NTC,N,Undetermined\nH12,NTC,IC,Undetermined\n");
    return sb.toString();
  }

  static String well(int i) {
    return (char) ('A' + i / 12) + String.valueOf(i % 12 + 1);
  }
}
