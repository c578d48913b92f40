package org.epiloop.simulator.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlateTest {

  @Test
  void wellsAreRowMajorA1ToH12() {
    assertEquals("A1", Plate.well(0));
    assertEquals("A12", Plate.well(11));
    assertEquals("B1", Plate.well(12));
    assertEquals("H10", Plate.well(93));
    assertEquals("H11", Plate.well(94));
    assertEquals("H12", Plate.well(95));
    assertThrows(IllegalArgumentException.class, () -> Plate.well(96));
    assertThrows(IllegalArgumentException.class, () -> Plate.well(-1));
  }

  @Test
  void fullPlateHas94TubesAndBothControlsInTheLastTwoWells() {
    List<String> tubes = tubes(94);
    Map<String, Object> body = Plate.runBody("pabc-1", tubes);
    assertEquals("pabc-1", body.get("plateCode"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> wells = (List<Map<String, Object>>) body.get("wells");
    assertEquals(96, wells.size());
    Set<String> positions = new HashSet<>();
    for (int i = 0; i < 94; i++) {
      assertEquals(Plate.well(i), wells.get(i).get("well"));
      assertEquals(tubes.get(i), wells.get(i).get("tubeCode"));
      assertEquals(2, wells.get(i).size());
      positions.add((String) wells.get(i).get("well"));
    }
    assertEquals(Map.of("well", "H11", "control", "POSITIVE"), wells.get(94));
    assertEquals(Map.of("well", "H12", "control", "NEGATIVE"), wells.get(95));
    positions.add("H11");
    positions.add("H12");
    assertEquals(96, positions.size(), "no well used twice");
  }

  @Test
  void partialPlateKeepsControlsInH11AndH12() {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> wells = (List<Map<String, Object>>) Plate.runBody("p", tubes(3)).get("wells");
    assertEquals(5, wells.size());
    assertEquals("A3", wells.get(2).get("well"));
    assertEquals("H11", wells.get(3).get("well"));
    assertEquals("H12", wells.get(4).get("well"));
  }

  @Test
  void aPlateTakes1To94Tubes() {
    assertThrows(IllegalArgumentException.class, () -> Plate.runBody("p", tubes(95)));
    assertThrows(IllegalArgumentException.class, () -> Plate.runBody("p", List.of()));
    assertThrows(IllegalArgumentException.class, () -> Plate.negativeCsv(0));
    assertThrows(IllegalArgumentException.class, () -> Plate.negativeCsv(95));
  }

  @Test
  void negativeCsvOfTwoTubes() {
    String expected = """
        Well,Target,Ct
        A1,ORF1ab,Undetermined
        A1,N,Undetermined
        A1,IC,26.0
        A2,ORF1ab,Undetermined
        A2,N,Undetermined
        A2,IC,26.1
        H11,ORF1ab,27.5
        H11,N,28.2
        H11,IC,27.0
        H12,ORF1ab,Undetermined
        H12,N,Undetermined
        H12,IC,Undetermined
        """;
    assertEquals(expected, Plate.negativeCsv(2));
  }

  @Test
  void negativeCsvOfAFullPlateHasThreeRowsPerWellAndPlausibleInternalControls() {
    String csv = Plate.negativeCsv(94);
    String[] lines = csv.split("\n");
    assertEquals(1 + 96 * 3, lines.length);
    assertEquals("Well,Target,Ct", lines[0]);
    Set<String> wellTargets = new HashSet<>();
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      assertEquals(3, f.length, lines[i]);
      assertTrue(wellTargets.add(f[0] + "/" + f[1]), "duplicate row " + lines[i]);
      if (!f[0].equals("H11") && !f[0].equals("H12")) {
        if (f[1].equals("IC")) {
          double ct = Double.parseDouble(f[2]);
          assertTrue(ct >= 26.0 && ct < 30.0, lines[i]);
        } else {
          assertEquals("Undetermined", f[2], lines[i]);
        }
      }
    }
    assertEquals(288, wellTargets.size());
    assertTrue(csv.endsWith("H12,IC,Undetermined\n"));
    assertEquals("H10,IC,27.3", lines[93 * 3 + 3]); // well index 93: 26.0 + (93 % 40) / 10
  }

  private static List<String> tubes(int n) {
    List<String> t = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      t.add("tabcdef-" + Integer.toString(i, 36));
    }
    return t;
  }
}
