package org.epiloop.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import org.epiloop.shared.ApiException;

/**
 * The instrument reader round-trips any plate however an instrument happens to format it, and
 * no input at all (random text, damaged exports) makes it fail with anything but a 400
 * {@code INVALID_INSTRUMENT_FILE} naming a line that exists.
 */
class InstrumentCsvProperties {

  static final List<Well> ALL_WELLS = IntStream.range(0, Well.COUNT).mapToObj(Well::ofIndex).toList();
  static final Pattern DETAIL = Pattern.compile("Line (\\d+): \\S.*", Pattern.DOTALL);

  static final String[] WELL_HEADERS = {"Well", "Well Position", "well position", "WELL"};
  static final String[] TARGET_HEADERS = {"Target", "Target Name", "Detector", "TARGET NAME", "detector name"};
  static final String[] CT_HEADERS = {"Ct", "CT", "Cq", "C(t)", "cq", "c(T)"};
  static final String[][] TARGET_NAMES = {
      {"ORF1ab", "ORF1AB", "ORF1a/b", "ORF-1ab", "ORF", "orf1ab gene"},
      {"N", "N gene", "N-gene", "n", "N GENE"},
      {"IC", "Internal Control", "RP", "RNase P", "β-actin", "beta-actin", "rnase p"}};
  static final String[] NO_AMPLIFICATION = {"Undetermined", "UNDETERMINED", "undetermined", "N/A", "-", "", "NA", "NaN"};
  static final String[] EXTRA_HEADERS = {"Sample Name", "Ct Mean", "Reporter", "Task", "Omit", "Quencher", "Ct SD", "Comments"};
  static final String[] LINE_ENDS = {"\n", "\r\n", "\r"};
  static final String NOISE = "Well,Target;Ct\t\r\n\"#*[]AaHh0123456789.-,;UNDetrmin/ ORF1bIC\uFEFFβ";

  /** How one export happens to be formatted. */
  record Format(char separator, String wellHeader, String targetHeader, String ctHeader, boolean bom, String lineEnd,
      boolean quoteAll, int extraColumns) {}

  // ---- generators ---------------------------------------------------------------------------

  @Provide
  Arbitrary<Map<Well, CtValues>> plates() {
    Arbitrary<Double> ct = Arbitraries.oneOf(
        Arbitraries.integers().between(1, 59).map(Integer::doubleValue),
        Arbitraries.integers().between(1, 5999).map(k -> k / 100.0),
        Arbitraries.integers().between(1, 59999).map(k -> k / 1000.0),
        Arbitraries.of(0.001, 34.99, 35.0, 39.99, 40.0, 59.999)).injectNull(0.35);
    Arbitrary<CtValues> values = Combinators.combine(ct, ct, ct).as(CtValues::new);
    Arbitrary<Set<Well>> wells = Arbitraries.oneOf(
        Arbitraries.subsetOf(ALL_WELLS).ofMinSize(1).ofMaxSize(12),
        Arbitraries.subsetOf(ALL_WELLS).ofMinSize(1),
        Arbitraries.just(Set.copyOf(ALL_WELLS)));
    return wells.flatMap(set -> values.list().ofSize(set.size()).map(list -> {
      Map<Well, CtValues> plate = new TreeMap<>();
      int i = 0;
      for (Well w : set) {
        plate.put(w, list.get(i++));
      }
      return plate;
    }));
  }

  @Provide
  Arbitrary<Format> formats() {
    return Combinators.combine(
        Arbitraries.of(',', ';', '\t'),
        Arbitraries.of(WELL_HEADERS),
        Arbitraries.of(TARGET_HEADERS),
        Arbitraries.of(CT_HEADERS),
        Arbitraries.of(true, false),
        Arbitraries.of(LINE_ENDS),
        Arbitraries.of(true, false),
        Arbitraries.integers().between(0, 4)).as(Format::new);
  }

  @Provide
  Arbitrary<String> csvNoise() {
    // Either raw characters, or lines built from plausible tokens so that deeper paths are reached.
    Arbitrary<String> token = Arbitraries.oneOf(
        Arbitraries.of("A1", "a01", "H12", "B7", "I1", "A13", "A0", "", " ", "\"", "\"\"", "\"A1\"", "#", "*", "[x]"),
        Arbitraries.of("ORF1ab", "N", "IC", "RP", "ROX", "N gene", "Target", "Well", "Ct", "Cq", "Well Position"),
        Arbitraries.of("31.5", "31,5", "0", "60", "59.99", "Undetermined", "N/A", "-", "NaN", "1e3", ".", "12..3"),
        Arbitraries.strings().withChars(NOISE).ofMaxLength(6));
    Arbitrary<List<String>> wellTargetCt = Combinators.combine(
        Arbitraries.of("A1", "a01", "H12", "B7", "C3", " D4 ", "I1"),
        Arbitraries.of("ORF1ab", "N", "IC", "RP", "ROX", "N gene", "\"N\""),
        Arbitraries.of("31.5", "31,5", "0", "59.99", "Undetermined", "N/A", "-", "", "1e3")).as((w, t, c) -> List.of(w, t, c));
    Arbitrary<String> line = Combinators.combine(Arbitraries.oneOf(token.list().ofMaxSize(6), wellTargetCt),
        Arbitraries.of(",", ";", "\t")).as((tokens, sep) -> String.join(sep, tokens));
    Arbitrary<String> lines = Combinators.combine(line.list().ofMaxSize(12), Arbitraries.of(LINE_ENDS))
        .as((ls, end) -> String.join(end, ls));
    return Arbitraries.oneOf(Arbitraries.strings().withChars(NOISE).ofMaxLength(400), lines);
  }

  @Provide
  Arbitrary<String> headers() {
    return Arbitraries.of("", "Well,Target,Ct\n", "Well;Target;Ct\r\n", "Well\tTarget\tCt\n", "# m\nWELL,TARGET NAME,CQ\n");
  }

  // ---- properties ---------------------------------------------------------------------------

  @Property(tries = 1000)
  void anyPlateInAnyFormatReadsBackExactly(@ForAll("plates") Map<Well, CtValues> plate, @ForAll("formats") Format format,
      @ForAll long seed) {
    String csv = render(plate, format, new Random(seed));
    List<WellReading> expected = plate.entrySet().stream().map(e -> new WellReading(e.getKey(), e.getValue())).toList();
    assertThat(InstrumentCsv.parse(csv)).as(csv).isEqualTo(expected);
  }

  @Property(tries = 1000)
  void arbitraryTextIsReadOrRejectedCleanly(@ForAll String text) {
    readOrRejectedCleanly(text);
  }

  @Property(tries = 1000)
  void csvLikeNoiseIsReadOrRejectedCleanly(@ForAll("csvNoise") String noise, @ForAll("headers") String header) {
    readOrRejectedCleanly(header + noise);
  }

  @Property(tries = 1000)
  void damagedExportsAreReadOrRejectedCleanly(@ForAll("plates") Map<Well, CtValues> plate, @ForAll("formats") Format format,
      @ForAll long seed, @ForAll @IntRange(min = 1, max = 8) int damages) {
    Random random = new Random(seed);
    String text = render(plate, format, random);
    for (int i = 0; i < damages; i++) {
      text = damage(text, random);
    }
    readOrRejectedCleanly(text);
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Either a well-formed result or a 400 INVALID_INSTRUMENT_FILE naming a line of the text; nothing else. */
  static void readOrRejectedCleanly(String text) {
    List<WellReading> readings;
    try {
      readings = InstrumentCsv.parse(text);
    } catch (ApiException e) {
      Statistics.label("outcome").collect("rejected: " + reason(e.getMessage()));
      assertThat(e.code()).isEqualTo("INVALID_INSTRUMENT_FILE");
      assertThat(e.field()).isEqualTo("file");
      assertThat(e.status().value()).isEqualTo(400);
      Matcher m = DETAIL.matcher(e.getMessage());
      assertThat(m.matches()).as(e.getMessage()).isTrue();
      assertThat(Integer.parseInt(m.group(1))).isBetween(1, physicalLines(text));
      assertThat(e.getMessage()).hasSizeLessThan(300);
      return;
    }
    Statistics.label("outcome").collect("read");
    assertThat(readings).isNotEmpty().hasSizeLessThanOrEqualTo(Well.COUNT);
    for (int i = 1; i < readings.size(); i++) {
      assertThat(readings.get(i - 1).well()).isLessThan(readings.get(i).well());
    }
  }

  static String reason(String detail) {
    for (String kind : new String[] {"no data rows", "empty", "header", "columns", "unreadable well", "unreadable Ct",
        "out of range", "second"}) {
      if (detail.contains(kind)) {
        return kind;
      }
    }
    return detail;
  }

  static int physicalLines(String text) {
    int lines = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
        lines++;
      }
    }
    return lines;
  }

  /** The plate as some instrument might export it. */
  static String render(Map<Well, CtValues> plate, Format f, Random random) {
    // Column layout: the three we need plus extras, in a random order.
    List<String> columns = new ArrayList<>(List.of("WELL", "TARGET", "CT"));
    List<String> extras = new ArrayList<>(List.of(EXTRA_HEADERS));
    Collections.shuffle(extras, random);
    columns.addAll(extras.subList(0, f.extraColumns()));
    boolean numericWell = f.wellHeader().toLowerCase(Locale.ROOT).contains("position") && random.nextBoolean();
    if (numericWell) {
      columns.add("NUMERIC_WELL");
    }
    Collections.shuffle(columns, random);

    List<String> lines = new ArrayList<>();
    List<String> header = new ArrayList<>();
    for (String c : columns) {
      header.add(switch (c) {
        case "WELL" -> f.wellHeader();
        case "TARGET" -> f.targetHeader();
        case "CT" -> f.ctHeader();
        case "NUMERIC_WELL" -> "Well";
        default -> c;
      });
    }
    lines.add(row(header.stream().map(h -> randomCase(h, random)).toList(), f, random));

    List<String> data = new ArrayList<>();
    for (Map.Entry<Well, CtValues> e : plate.entrySet()) {
      Well well = e.getKey();
      String wellText = wellText(well, random);
      boolean written = false;
      for (Target target : Target.values()) {
        Double ct = e.getValue().of(target);
        boolean omit = ct == null && random.nextInt(3) == 0 && (written || target != Target.IC);
        if (omit) {
          continue;
        }
        String name = TARGET_NAMES[target.ordinal()][random.nextInt(TARGET_NAMES[target.ordinal()].length)];
        data.add(dataRow(columns, well, wellText, name, ctText(ct, f, random), f, random));
        written = true;
      }
      if (!written) {
        // Cannot happen: the IC row is only omitted when another row of the well was written.
        throw new IllegalStateException("well " + well + " has no rows");
      }
      if (random.nextInt(10) == 0) {
        data.add(dataRow(columns, well, wellText, random.nextBoolean() ? "ROX" : "E gene", "12.5", f, random));
      }
    }
    Collections.shuffle(data, random);
    lines.addAll(data);

    // Blank lines and empty rows anywhere after the header; metadata before it.
    int blanks = random.nextInt(4);
    for (int i = 0; i < blanks; i++) {
      String blank = switch (random.nextInt(3)) {
        case 0 -> "";
        case 1 -> "  ";
        default -> String.valueOf(f.separator()).repeat(columns.size() - 1);
      };
      lines.add(1 + random.nextInt(lines.size()), blank);
    }
    List<String> preamble = new ArrayList<>();
    if (random.nextBoolean()) {
      preamble.add("* Block Type = 96-Well Block (0.2mL)");
      preamble.add("# Experiment: plate " + random.nextInt(1000));
      preamble.add("");
      if (random.nextBoolean()) {
        preamble.add("[Results]");
      }
    }
    lines.addAll(0, preamble);
    String text = String.join(f.lineEnd(), lines) + (random.nextBoolean() ? f.lineEnd() : "");
    return f.bom() ? "\uFEFF" + text : text;
  }

  static String dataRow(List<String> columns, Well well, String wellText, String target, String ct, Format f, Random random) {
    List<String> fields = new ArrayList<>();
    for (String c : columns) {
      fields.add(switch (c) {
        case "WELL" -> wellText;
        case "TARGET" -> target;
        case "CT" -> ct;
        case "NUMERIC_WELL" -> String.valueOf(well.index() + 1);
        default -> extraValue(f, random);
      });
    }
    return row(fields, f, random);
  }

  static String row(List<String> fields, Format f, Random random) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        line.append(f.separator());
      }
      String field = fields.get(i);
      boolean quote = f.quoteAll() || random.nextInt(6) == 0 || field.indexOf(f.separator()) >= 0 || field.indexOf('"') >= 0;
      String padding = random.nextInt(8) == 0 ? " " : "";
      line.append(padding).append(quote ? '"' + field.replace("\"", "\"\"") + '"' : field).append(padding);
    }
    return line.toString();
  }

  static String wellText(Well well, Random random) {
    String row = String.valueOf(random.nextBoolean() ? well.row() : Character.toLowerCase(well.row()));
    return row + (random.nextBoolean() && well.column() < 10 ? "0" : "") + well.column();
  }

  static String ctText(Double ct, Format f, Random random) {
    if (ct == null) {
      return NO_AMPLIFICATION[random.nextInt(NO_AMPLIFICATION.length)];
    }
    String plain = BigDecimal.valueOf(ct).toPlainString();
    if (plain.endsWith(".0") && random.nextBoolean()) {
      plain = plain.substring(0, plain.length() - 2);
    } else if (plain.contains(".") && random.nextBoolean()) {
      plain = plain + "00";
    }
    return f.separator() != ',' && random.nextBoolean() ? plain.replace('.', ',') : plain;
  }

  static String extraValue(Format f, Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> "";
      case 1 -> "P-" + random.nextInt(100000);
      case 2 -> "Zhang \"Wei\"" + f.separator() + " jr";
      case 3 -> "FAM";
      default -> String.valueOf(random.nextInt(60)) + ".5";
    };
  }

  static String randomCase(String s, Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> s.toUpperCase(Locale.ROOT);
      case 1 -> s.toLowerCase(Locale.ROOT);
      default -> s;
    };
  }

  /** One random injury of the kind a copied, hand-edited or truncated export suffers. */
  static String damage(String text, Random random) {
    if (text.isEmpty()) {
      return String.valueOf(NOISE.charAt(random.nextInt(NOISE.length())));
    }
    int at = random.nextInt(text.length());
    List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
    int line = random.nextInt(lines.size());
    switch (random.nextInt(9)) {
      case 0 -> {
        return text.substring(0, at) + text.substring(at + 1); // delete a character
      }
      case 1 -> {
        return text.substring(0, at + 1) + text.substring(at); // duplicate a character
      }
      case 2 -> {
        return text.substring(0, at) + NOISE.charAt(random.nextInt(NOISE.length())) + text.substring(at);
      }
      case 3 -> {
        return text.substring(0, at) + NOISE.charAt(random.nextInt(NOISE.length())) + text.substring(at + 1);
      }
      case 4 -> {
        return text.substring(0, at); // truncated
      }
      case 5 -> lines.remove(line);
      case 6 -> lines.add(line, lines.get(line));
      case 7 -> Collections.swap(lines, line, random.nextInt(lines.size()));
      default -> lines.add(line, "A1,N,99\t\"x");
    }
    return String.join("\n", lines);
  }
}
