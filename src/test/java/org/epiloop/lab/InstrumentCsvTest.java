package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.epiloop.shared.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every quirk of real instrument exports that the reader tolerates, and every rejection with its line. */
class InstrumentCsvTest {

  private static WellReading reading(String well, Double orf1ab, Double n, Double ic) {
    return new WellReading(Well.parse(well), new CtValues(orf1ab, n, ic));
  }

  private static void rejected(String text, int line, String detailContains) {
    assertThatThrownBy(() -> InstrumentCsv.parse(text)).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code()).isEqualTo("INVALID_INSTRUMENT_FILE");
      assertThat(e.field()).isEqualTo("file");
      assertThat(e.status().value()).isEqualTo(400);
      assertThat(e.getMessage()).startsWith("Line " + line + ": ").contains(detailContains);
    });
  }

  // ---- the plain format -------------------------------------------------------------------

  @Test
  void plainExportIsGroupedByWellAndSorted() {
    String csv = """
        Well,Target,Ct
        B1,ORF1ab,Undetermined
        B1,N,Undetermined
        B1,IC,27.31
        A2,ORF1ab,24.5
        A2,N,25.75
        A2,IC,28
        A10,ORF1ab,31.2
        A10,N,Undetermined
        A10,IC,29.01
        """;
    assertThat(InstrumentCsv.parse(csv)).containsExactly(
        reading("A2", 24.5, 25.75, 28.0),
        reading("A10", 31.2, null, 29.01),
        reading("B1", null, null, 27.31));
  }

  @Test
  void missingTargetRowsMeanNoAmplification() {
    assertThat(InstrumentCsv.parse("Well,Target,Ct\nC3,IC,26.1\nH12,N,33.3\n")).containsExactly(
        reading("C3", null, null, 26.1),
        reading("H12", null, 33.3, null));
  }

  @Test
  void lastLineWithoutLineEnd() {
    assertThat(InstrumentCsv.parse("Well,Target,Ct\nA1,IC,26.1")).containsExactly(reading("A1", null, null, 26.1));
  }

  // ---- tolerated quirks -------------------------------------------------------------------

  @Test
  void byteOrderMark() {
    assertThat(InstrumentCsv.parse("\uFEFFWell,Target,Ct\r\nA1,IC,26.1\r\n")).containsExactly(reading("A1", null, null, 26.1));
  }

  @Test
  void semicolonsWithDecimalComma() {
    String csv = "Well;Target;Ct\nA1;ORF1ab;31,52\nA1;N;32,1\nA1;IC;27\n";
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", 31.52, 32.1, 27.0));
  }

  @Test
  void tabsWithDecimalCommaOrPoint() {
    String csv = "Well\tTarget\tCt\nA1\tORF1ab\t31,52\nA1\tN\t32.1\nA1\tIC\t\n";
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", 31.52, 32.1, null));
  }

  @Test
  void separatorIsTheOneTheHeaderUsesMost() {
    // A comma inside a (semicolon-separated) header name does not make it comma-separated.
    String csv = "Well;Target;Ct;Comment, if any\nA1;N;30,5;ok, fine\n";
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", null, 30.5, null));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "Well,Target,Ct", "WELL,TARGET,CT", "well,target,ct", " Well , Target , Ct ", "\"Well\",\"Target\",\"Ct\"",
      " \"Well Position\" ,Target Name,Cq", "Well Position,Detector,C(t)", "well position,DETECTOR NAME,CQ",
      "Well,Target,C(T)", "'Well','Target','Ct'"})
  void headerSpellings(String header) {
    assertThat(InstrumentCsv.parse(header + "\nA1,N,30.5\n")).containsExactly(reading("A1", null, 30.5, null));
  }

  @Test
  void extraColumnsInAnyOrder() {
    String csv = """
        Sample Name,Ct Mean,Ct,Reporter,Target Name,Task,Well Position,Omit
        P-001,30.1,30.05,FAM,ORF1ab,UNKNOWN,D7,false
        P-001,30.1,31.2,VIC,N,UNKNOWN,D7,false
        P-001,,,,IC,UNKNOWN,D7,
        """;
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("D7", 30.05, 31.2, null));
  }

  @Test
  void wellPositionWinsOverQuantStudiosNumericWell() {
    String csv = "Well,Well Position,Sample Name,Target Name,CT\n1,A1,S1,N,Undetermined\n13,B1,S2,N,22.2\n";
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", null, null, null), reading("B1", null, 22.2, null));
  }

  @Test
  void blankLinesAndEmptyRowsAnywhere() {
    String csv = "\n\n  \nWell,Target,Ct\n\nA1,N,30\n   \n,,\n\t\nA1,IC,25\n\n\n";
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", null, 30.0, 25.0));
  }

  @Test
  void quantStudioMetadataAndSectionMarker() {
    String csv = """
        * Block Type = 96-Well Block (0.2mL)
        * Chemistry = TAQMAN
        * Experiment File Name = C:\\runs\\2026-11-22 plate 7.eds
        # exported by hand

        [Results]
        Well\tWell Position\tOmit\tSample Name\tTarget Name\tTask\tReporter\tQuencher\tCT\tCt Mean
        1\tA1\tfalse\tP1\tORF1ab\tUNKNOWN\tFAM\tNFQ-MGB\tUndetermined\t
        1\tA1\tfalse\tP1\tN gene\tUNKNOWN\tVIC\tNFQ-MGB\tUndetermined\t
        1\tA1\tfalse\tP1\tRNase P\tUNKNOWN\tCY5\tNone\t26,884\t26,884

        [Amplification Data]
        Well\tCycle\tTarget Name\tRn\tDelta Rn
        1\t1\tORF1ab\t0.1\t0.01
        """;
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", null, null, 26.884));
  }

  @Test
  void afterTheHeaderHashAndStarLinesAreDataNeverSilentlyDropped() {
    assertThat(InstrumentCsv.parse("Sample,Well,Target,Ct\n#12,A1,N,30\n*urgent*,B1,N,31\n"))
        .containsExactly(reading("A1", null, 30.0, null), reading("B1", null, 31.0, null));
    rejected("Well,Target,Ct\nA1,N,30\n# operator: lab 3\n", 3, "columns");
    // A lone section marker ends the data; a row that merely starts with '[' does not.
    assertThat(InstrumentCsv.parse("Sample,Well,Target,Ct\n[S1],A1,N,30\n[Melt Curve]\nB1,N,31\n"))
        .containsExactly(reading("A1", null, 30.0, null));
  }

  @Test
  void quotedFields() {
    String csv = """
        "Well","Sample Name","Target","Ct"
        "A1","Zhang, ""Wei""\","ORF1ab","31.5"
         "A1" , "x;y" , "N" , "32.0"
        "A1","","IC",""
        """;
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", 31.5, 32.0, null));
    // A quoted decimal comma with semicolons.
    assertThat(InstrumentCsv.parse("\"Well\";\"Target\";\"Ct\"\n\"A1\";\"N\";\"30,25\"\n"))
        .containsExactly(reading("A1", null, 30.25, null));
  }

  @Test
  void lineEndings() {
    List<WellReading> expected = List.of(reading("A1", 30.0, 31.0, null));
    assertThat(InstrumentCsv.parse("Well,Target,Ct\r\nA1,ORF1ab,30\r\nA1,N,31\r\n")).isEqualTo(expected);
    assertThat(InstrumentCsv.parse("Well,Target,Ct\nA1,ORF1ab,30\r\nA1,N,31")).isEqualTo(expected);
    assertThat(InstrumentCsv.parse("Well,Target,Ct\rA1,ORF1ab,30\rA1,N,31\r")).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Undetermined", "UNDETERMINED", "undetermined", "N/A", "n/a", "NA", "NaN", "-", "", " ", "\"\""})
  void noAmplificationSpellings(String ct) {
    assertThat(InstrumentCsv.parse("Well,Target,Ct\nA1,N," + ct + "\nA1,IC,25\n"))
        .containsExactly(reading("A1", null, null, 25.0));
  }

  @Test
  void targetSpellings() {
    String csv = """
        Well,Target,Ct
        A1,ORF1a/b,20
        A1,N-gene,21
        A1,Internal Control,22
        A2,orf-1ab,20
        A2,N gene,21
        A2,β-actin,22
        A3,ORF,20
        A3,n,21
        A3,beta-actin,22
        A4,ORF1AB,20
        A4,N,21
        A4,RP,22
        """;
    assertThat(InstrumentCsv.parse(csv)).extracting(WellReading::ct).containsOnly(new CtValues(20.0, 21.0, 22.0));
  }

  @Test
  void unknownTargetsAreIgnored() {
    String csv = "Well,Target,Ct\nA1,ROX,12.0\nA1,N,30\nA1,E gene,28\nA1,,31\nB2,ROX,11\n";
    // B2 has only a passive reference row, so no reading at all.
    assertThat(InstrumentCsv.parse(csv)).containsExactly(reading("A1", null, 30.0, null));
  }

  @Test
  void wellSpellings() {
    String csv = "Well,Target,Ct\na01,N,30\n H12 ,N,31\nh09,N,32\n\"B05\",N,33\n";
    assertThat(InstrumentCsv.parse(csv)).extracting(r -> r.well().toString()).containsExactly("A1", "B5", "H9", "H12");
  }

  @Test
  void fullPlateIsFast() {
    StringBuilder csv = new StringBuilder("Well,Sample Name,Target Name,Reporter,CT\r\n");
    for (int w = 0; w < Well.COUNT; w++) {
      String well = Well.ofIndex(w).toString();
      csv.append(well).append(",P").append(w).append(",ORF1ab,FAM,").append(w % 3 == 0 ? "Undetermined" : "31.25").append("\r\n");
      csv.append(well).append(",P").append(w).append(",N,VIC,").append(w % 3 == 0 ? "Undetermined" : "32.5").append("\r\n");
      csv.append(well).append(",P").append(w).append(",RNase P,CY5,27.125\r\n");
    }
    String text = csv.toString();
    List<WellReading> readings = InstrumentCsv.parse(text);
    assertThat(readings).hasSize(96);
    assertThat(readings.get(0)).isEqualTo(reading("A1", null, null, 27.125));
    assertThat(readings.get(95)).isEqualTo(reading("H12", 31.25, 32.5, 27.125));
    for (int i = 0; i < 2000; i++) {
      InstrumentCsv.parse(text); // warm up
    }
    int runs = 2000;
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      InstrumentCsv.parse(text);
    }
    double micros = (System.nanoTime() - start) / 1000.0 / runs;
    // Typically tens of microseconds; the bound is loose so a busy CI machine does not fail it.
    assertThat(micros).as("microseconds per 288-row file").isLessThan(1000);
  }

  // ---- rejections, each naming its physical line --------------------------------------------

  @Test
  void emptyFiles() {
    rejected("", 1, "empty");
    rejected(null, 1, "empty");
    rejected("\uFEFF", 1, "empty");
    rejected("\n\n  \r\n", 1, "empty");
  }

  @Test
  void onlyComments() {
    rejected("# QuantStudio\n* Block = 96\n\n", 3, "no header");
  }

  @Test
  void noHeader() {
    rejected("A1,N,30\nA2,N,31\n", 1, "header");
    rejected("# meta\n\nWell,Target,Value\nA1,N,30\n", 3, "no Ct column");
    rejected("Well,Ct\nA1,30\n", 1, "no Target column");
    rejected("Position,Target,Ct\nA1,N,30\n", 1, "no Well column");
    rejected("Well Target Ct\nA1 N 30\n", 1, "no Well, Target, Ct column");
    rejected("Well,Target,Ct Mean\nA1,N,30\n", 1, "no Ct column");
  }

  @Test
  void noDataRows() {
    rejected("Well,Target,Ct\n", 1, "no data rows");
    rejected("# meta\nWell,Target,Ct\n\n\n", 2, "no data rows");
    rejected("Well,Target,Ct\nA1,ROX,20\n", 1, "no data rows");
  }

  @Test
  void tooFewColumns() {
    rejected("Well,Target,Ct\nA1,N,30\nA2,N\n", 3, "expected at least 3 columns, found 2");
    rejected("Sample,Ct,Target,Well\nS1,30,N,A1\nS2,31,N\n", 3, "expected at least 4 columns, found 3");
    rejected("Well;Target;Ct\nA1,N,30\n", 2, "columns");
  }

  @ParameterizedTest
  @ValueSource(strings = {"I1", "A13", "A0", "A00", "P24", "AA1", "1A", "A", "", "A1.5", "A-1", "A001", "A1A"})
  void unreadableWells(String well) {
    rejected("Well,Target,Ct\n\nA1,N,30\n" + well + ",N,30\n", 4, "unreadable well");
  }

  @Test
  void unreadableWellEvenOnAnIgnoredTarget() {
    rejected("Well,Target,Ct\nA1,N,30\nZ9,ROX,30\n", 3, "unreadable well 'Z9'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "31.5.2", "1e1", "Infinity", "0x1p3", "31d", "+31", "-31", ".", "3 1", "Undet", "31.5x"})
  void unreadableCt(String ct) {
    rejected("Well,Target,Ct\r\nA1,IC,25\r\nA1,N," + ct + "\r\n", 3, "Ct");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0.0", "60", "60.01", "75", "99999999999999999999999"})
  void ctOutOfRange(String ct) {
    rejected("Well,Target,Ct\nA1,N," + ct + "\n", 2, "out of range");
  }

  @Test
  void decimalCommaOnlyWithoutCommaSeparator() {
    rejected("Well,Target,Ct\nA1,N,\"31,5\"\n", 2, "unreadable Ct");
  }

  @Test
  void sameWellAndTargetTwice() {
    rejected("Well,Target,Ct\nA1,N,30\nA1,IC,25\n\nA01,N gene,31\n", 5, "well A1 has a second N row (the first is on line 2)");
    rejected("Well,Target,Ct\nA1,RP,25\nA1,Internal Control,25\n", 3, "second IC row");
  }

  @Test
  void a384WellExportIsRejectedAtItsFirstWellBeyondH12() {
    StringBuilder csv = new StringBuilder("Well,Target,Ct\n");
    for (char row = 'A'; row <= 'P'; row++) {
      for (int col = 1; col <= 24; col++) {
        csv.append(row).append(col).append(",N,30\n");
      }
    }
    rejected(csv.toString(), 14, "unreadable well 'A13'");
  }

  @Test
  void lineNumbersCountEveryPhysicalLine() {
    String crlf = "\uFEFF# a\r\n* b\r\n\r\nWell,Target,Ct\r\n\r\nA1,N,30\r\nA1,N,31\r\n";
    rejected(crlf, 7, "second N row (the first is on line 6)");
    rejected("Well,Target,Ct\rA1,N,30\r\rA1,N,xx\r", 4, "unreadable Ct 'xx'");
  }

  @Test
  void messagesStayShort() {
    String longWell = "A".repeat(5000);
    assertThatThrownBy(() -> InstrumentCsv.parse("Well,Target,Ct\n" + longWell + ",N,30\n"))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  // ---- Well and Target on their own ---------------------------------------------------------

  @Test
  void wellParsing() {
    assertThat(Well.parse("A1")).isEqualTo(new Well('A', 1));
    assertThat(Well.parse(" a01 ")).isEqualTo(new Well('A', 1));
    assertThat(Well.parse("H12").toString()).isEqualTo("H12");
    assertThat(Well.parse("h9").toString()).isEqualTo("H9");
    List<String> all = new ArrayList<>();
    for (int i = 0; i < Well.COUNT; i++) {
      Well w = Well.ofIndex(i);
      assertThat(w.index()).isEqualTo(i);
      assertThat(Well.parse(w.toString())).isEqualTo(w);
      all.add(w.toString());
    }
    assertThat(all).startsWith("A1", "A2").endsWith("H11", "H12").doesNotHaveDuplicates();
    assertThat(Well.parse("B1")).isGreaterThan(Well.parse("A12"));
    for (String bad : new String[] {null, "", "A", "I1", "A13", "A0", "A123", "1A", "A 1", "Ａ1"}) {
      assertThatThrownBy(() -> Well.parse(bad)).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.code()).isEqualTo("INVALID_WELL");
        assertThat(e.field()).isEqualTo("well");
      });
      assertThat(Well.tryParse(bad)).isEmpty();
    }
    assertThatThrownBy(() -> new Well('a', 1)).isInstanceOf(ApiException.class);
    assertThatThrownBy(() -> new Well('A', 13)).isInstanceOf(ApiException.class);
  }

  @Test
  void targetParsing() {
    for (String s : new String[] {"ORF1ab", "ORF1AB", "ORF1a/b", "ORF-1ab", "ORF", "orf1ab", " ORF1ab gene "}) {
      assertThat(Target.parse(s)).as(s).contains(Target.ORF1AB);
    }
    for (String s : new String[] {"N", "n", "N gene", "N-gene", "N GENE"}) {
      assertThat(Target.parse(s)).as(s).contains(Target.N);
    }
    for (String s : new String[] {"IC", "ic", "Internal Control", "INTERNAL CONTROL", "RP", "RNase P", "rnasep", "β-actin",
        "Β-ACTIN", "beta-actin", "Beta Actin"}) {
      assertThat(Target.parse(s)).as(s).contains(Target.IC);
    }
    for (String s : new String[] {null, "", "ROX", "FAM", "E", "E gene", "gene", "N1", "NN", "ORF1abc", "control"}) {
      assertThat(Target.parse(s)).as(s).isEqualTo(Optional.empty());
    }
  }
}
