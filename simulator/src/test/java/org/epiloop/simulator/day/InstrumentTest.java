package org.epiloop.simulator.day;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstrumentTest {

  @Test
  void wellsAreRowMajor() {
    assertEquals("A1", Instrument.well(0));
    assertEquals("A12", Instrument.well(11));
    assertEquals("B1", Instrument.well(12));
    assertEquals("H10", Instrument.well(93));
    assertEquals("H12", Instrument.well(95));
    assertThrows(IllegalArgumentException.class, () -> Instrument.well(96));
  }

  @Test
  void theCsvHasThreeRowsPerWellAndPassingControls() {
    boolean[] positive = new boolean[94];
    positive[0] = true;
    positive[93] = true;
    String csv = Instrument.csv(positive);
    String[] lines = csv.split("\n");
    assertEquals("Well,Target,Ct", lines[0]);
    assertEquals(1 + 96 * 3, lines.length);
    assertEquals("A1,ORF1ab,22.0", lines[1]);
    assertEquals("A1,N,23.2", lines[2]);
    assertTrue(lines[3].startsWith("A1,IC,"));
    assertEquals("A2,ORF1ab,Undetermined", lines[4]);
    assertEquals("A2,N,Undetermined", lines[5]);
    for (String l : lines) {
      String[] f = l.split(",");
      assertEquals(3, f.length, l);
      if (!f[2].equals("Undetermined") && !f[2].equals("Ct")) {
        double ct = Double.parseDouble(f[2]);
        assertTrue(ct > 0 && ct < 35, "every amplified Ct is a clear detection: " + l);
      }
    }
    assertTrue(csv.contains("H10,ORF1ab,"));
    assertTrue(!csv.contains("H10,ORF1ab,Undetermined"), "the last tube is positive");
    assertTrue(csv.endsWith("H11,ORF1ab,27.5\nH11,N,28.2\nH11,IC,27.0\nH12,ORF1ab,Undetermined\nH12,N,Undetermined\nH12,IC,Undetermined\n"));
    assertEquals(csv, Instrument.csv(positive.clone()), "the same plate gives the same bytes (uploaded twice)");
  }

  @Test
  void aPlateNamesItsKitLotAndCyclerAndThePositiveControlCarriesItsDrift() {
    Map<String, Object> body = Instrument.runBody("P1", List.of("T1"), "KIT-1", "PCR-1");
    assertEquals("KIT-1", body.get("reagentLot"));
    assertEquals("PCR-1", body.get("cycler"));
    assertTrue(!Instrument.runBody("P1", List.of("T1")).containsKey("reagentLot"), "an old-style plate names no lot");
    String csv = Instrument.csv(new boolean[] {false}, new Instrument.PositiveControl(28.63, 28.2, 26.94));
    assertTrue(csv.contains("H11,ORF1ab,28.63\nH11,N,28.2\nH11,IC,26.94\n"), csv);
  }

  @Test
  void aNegativeWellHasOnlyTheInternalControl() {
    String csv = Instrument.csv(new boolean[] {false});
    assertEquals("Well,Target,Ct\nA1,ORF1ab,Undetermined\nA1,N,Undetermined\nA1,IC,26.0\n", csv.substring(0, csv.indexOf("H11")));
  }

  @Test
  void thePlateCarriesBothControls() {
    Map<String, Object> body = Instrument.runBody("P1", List.of("T1", "T2"));
    assertEquals("P1", body.get("plateCode"));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> wells = (List<Map<String, Object>>) body.get("wells");
    assertEquals(4, wells.size());
    assertEquals(Map.of("well", "A1", "tubeCode", "T1"), wells.get(0));
    assertEquals(Map.of("well", "A2", "tubeCode", "T2"), wells.get(1));
    assertEquals(Map.of("well", "H11", "control", "POSITIVE"), wells.get(2));
    assertEquals(Map.of("well", "H12", "control", "NEGATIVE"), wells.get(3));
    assertThrows(IllegalArgumentException.class, () -> Instrument.csv(new boolean[95]));
    assertThrows(IllegalArgumentException.class, () -> Instrument.runBody("P", List.of()));
  }
}
