package org.epiloop.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.epiloop.shared.ApiException;

/**
 * Reads a real-time PCR instrument's result export (L2): one row per well and target with at
 * least the columns Well, Target and Ct. Exports differ between instruments, software versions
 * and the locale of the PC that wrote them, and a lab technician cannot fix a file at the
 * bench, so this reader accepts the common variations and otherwise says precisely which line
 * is wrong.
 *
 * <p>Tolerated: a UTF-8 byte-order mark; CRLF, LF or CR line ends; blank lines and rows of
 * empty fields; before the header, comment/metadata lines starting with {@code #} or {@code *}
 * (QuantStudio) and section markers such as {@code [Results]} (after the header such lines are
 * data, so a row whose first column is a sample named "#12" is never dropped; only a line that
 * is a lone {@code [Section]} ends the data); header names in any case, with spaces or quotes around them, spelled
 * {@code Well}/{@code Well Position} ({@code Well Position} wins when both are present, as
 * QuantStudio's {@code Well} is a running number), {@code Target}/{@code Target Name}/
 * {@code Detector}, {@code Ct}/{@code CT}/{@code Cq}/{@code C(t)}; extra columns in any order;
 * separator {@code ,}, {@code ;} or TAB, whichever the header line uses most; double-quoted
 * fields with {@code ""} for a quote; Ct {@code Undetermined}, {@code N/A}, {@code NA},
 * {@code NaN}, {@code -} or empty for no amplification; a decimal comma when the separator is
 * not a comma. Rows of targets other than ORF1ab, N and the internal control (passive
 * reference dyes such as ROX) are skipped; a well appears in the result when it has at least
 * one row of a known target, and a known target without a row is "no amplification".
 *
 * <p>Everything else is rejected with 400 {@code INVALID_INSTRUMENT_FILE} (field {@code file})
 * and a detail "Line N: …" naming the 1-based physical line: no header naming Well, Target and
 * Ct; a row with fewer columns than the header needs; a well outside A1–H12 (so a 384-well
 * export, and with it more than 96 wells, cannot get through); a Ct that is not a number in
 * (0, 60); the same well and target twice; an empty file or no data rows. No other exception
 * escapes, whatever the input. Parsing is a single linear pass.
 */
final class InstrumentCsv {

  /** The error code of every rejection. */
  static final String CODE = "INVALID_INSTRUMENT_FILE";
  /** The field named in every rejection. */
  static final String FIELD = "file";

  private static final int TARGETS = Target.values().length;

  private InstrumentCsv() {}

  /**
   * The readings of the file, one per well, sorted by row then column.
   *
   * @throws ApiException 400 {@code INVALID_INSTRUMENT_FILE} when the file cannot be read
   */
  static List<WellReading> parse(String text) {
    if (text == null) {
      throw error(1, "the file is empty");
    }
    int len = text.length();
    int pos = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
    int lineNo = 0;
    boolean anyContent = false;
    Header header = null;
    int dataRows = 0;
    Double[][] cts = new Double[Well.COUNT][];
    int[][] firstLine = new int[Well.COUNT][TARGETS];
    List<String> fields = new ArrayList<>();

    while (pos < len) {
      int end = pos;
      while (end < len && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      lineNo++;
      int start = pos;
      pos = end < len && text.charAt(end) == '\r' && end + 1 < len && text.charAt(end + 1) == '\n' ? end + 2 : end + 1;

      int first = skipWhitespace(text, start, end);
      if (first == end) {
        continue; // blank line
      }
      anyContent = true;
      char lead = text.charAt(first);
      if (header == null) {
        if (lead == '#' || lead == '*' || (lead == '[' && isSection(text, first, end, '\0'))) {
          continue; // metadata, comment or a section marker such as [Results]
        }
        header = Header.read(text.substring(start, end), lineNo, fields);
        continue;
      }
      if (lead == '[' && isSection(text, first, end, header.separator)) {
        break; // the next section (amplification data, melt curve…) is not ours
      }
      String line = text.substring(start, end);

      split(line, header.separator, fields);
      if (allBlank(fields)) {
        continue; // ",,,," as spreadsheets write empty rows
      }
      if (fields.size() <= header.maxIndex) {
        throw error(lineNo, "expected at least " + (header.maxIndex + 1) + " columns, found " + fields.size());
      }
      String wellText = fields.get(header.well);
      Optional<Well> well = Well.tryParse(wellText);
      if (well.isEmpty()) {
        throw error(lineNo, "unreadable well " + show(wellText) + " (expected A1 to H12)");
      }
      Optional<Target> target = Target.parse(fields.get(header.target));
      if (target.isEmpty()) {
        continue; // passive reference or another assay's target
      }
      Double ct = parseCt(fields.get(header.ct), header.separator != ',', lineNo);
      int w = well.get().index();
      int t = target.get().ordinal();
      if (firstLine[w][t] != 0) {
        throw error(lineNo, "well " + well.get() + " has a second " + target.get().label() + " row (the first is on line "
            + firstLine[w][t] + ")");
      }
      firstLine[w][t] = lineNo;
      if (cts[w] == null) {
        cts[w] = new Double[TARGETS];
      }
      cts[w][t] = ct;
      dataRows++;
    }

    if (header == null) {
      if (!anyContent) {
        throw error(1, "the file is empty");
      }
      throw error(lineNo, "no header row naming the Well, Target and Ct columns (only comment lines)");
    }
    if (dataRows == 0) {
      throw error(header.line, "no data rows for ORF1ab, N or the internal control below the header");
    }
    List<WellReading> readings = new ArrayList<>();
    for (int w = 0; w < Well.COUNT; w++) {
      Double[] c = cts[w];
      if (c != null) {
        readings.add(new WellReading(Well.ofIndex(w),
            new CtValues(c[Target.ORF1AB.ordinal()], c[Target.N.ordinal()], c[Target.IC.ordinal()])));
      }
    }
    return List.copyOf(readings);
  }

  /** The column positions found in the header line. */
  private record Header(int line, char separator, int well, int target, int ct, int maxIndex) {

    static Header read(String line, int lineNo, List<String> fields) {
      char separator = detectSeparator(line);
      split(line, separator, fields);
      int well = -1;
      int wellPosition = -1;
      int target = -1;
      int ct = -1;
      for (int i = 0; i < fields.size(); i++) {
        switch (headerKey(fields.get(i))) {
          case "well" -> well = well < 0 ? i : well;
          case "wellposition" -> wellPosition = wellPosition < 0 ? i : wellPosition;
          case "target", "targetname", "detector", "detectorname" -> target = target < 0 ? i : target;
          case "ct", "cq" -> ct = ct < 0 ? i : ct;
          default -> { } // an extra column
        }
      }
      if (wellPosition >= 0) {
        well = wellPosition;
      }
      if (well < 0 || target < 0 || ct < 0) {
        List<String> missing = new ArrayList<>();
        if (well < 0) {
          missing.add("Well");
        }
        if (target < 0) {
          missing.add("Target");
        }
        if (ct < 0) {
          missing.add("Ct");
        }
        throw error(lineNo, "expected a header row naming the Well, Target and Ct columns; no "
            + String.join(", ", missing) + " column in " + show(line));
      }
      return new Header(lineNo, separator, well, target, ct, Math.max(well, Math.max(target, ct)));
    }
  }

  /** The separator the header line uses most outside quotes; TAB, then ';', then ',' on a tie. */
  private static char detectSeparator(String line) {
    int commas = 0;
    int semicolons = 0;
    int tabs = 0;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (!quoted) {
        if (c == ',') {
          commas++;
        } else if (c == ';') {
          semicolons++;
        } else if (c == '\t') {
          tabs++;
        }
      }
    }
    if (tabs >= semicolons && tabs >= commas && tabs > 0) {
      return '\t';
    }
    return semicolons >= commas && semicolons > 0 ? ';' : ',';
  }

  /** A header name reduced to lower-case letters and digits: " C(t) " → "ct", "Well Position" → "wellposition". */
  private static String headerKey(String name) {
    StringBuilder key = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        key.append(Character.toLowerCase(c));
      }
    }
    return key.toString();
  }

  /**
   * Splits one line into stripped fields. A field whose first non-blank character is a double
   * quote runs to the closing quote ({@code ""} inside is a quote); anything between the closing
   * quote and the next separator is kept, and an unclosed quote runs to the end of the line.
   */
  private static void split(String line, char separator, List<String> out) {
    out.clear();
    StringBuilder field = new StringBuilder();
    int n = line.length();
    int i = 0;
    while (true) {
      field.setLength(0);
      int j = i;
      while (j < n && line.charAt(j) != separator && Character.isWhitespace(line.charAt(j))) {
        j++;
      }
      if (j < n && line.charAt(j) == '"') {
        i = j + 1;
        while (i < n) {
          char c = line.charAt(i);
          if (c == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              field.append('"');
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field.append(c);
          i++;
        }
      }
      while (i < n && line.charAt(i) != separator) {
        field.append(line.charAt(i));
        i++;
      }
      out.add(field.toString().strip());
      if (i >= n) {
        return;
      }
      i++; // the separator
    }
  }

  /**
   * A Ct field: null for no amplification, else a plain decimal number (digits with at most one
   * '.' or, when allowed, ',') in (0, 60). Deliberately stricter than {@link Double#parseDouble},
   * which would also take "NaN", "Infinity", "1e3", "0x1p3" or "31d".
   */
  private static Double parseCt(String raw, boolean decimalComma, int lineNo) {
    String s = raw.strip();
    if (s.isEmpty() || s.equals("-") || s.equalsIgnoreCase("Undetermined") || s.equalsIgnoreCase("N/A")
        || s.equalsIgnoreCase("NA") || s.equalsIgnoreCase("NaN")) {
      return null;
    }
    boolean point = false;
    int digits = 0;
    char[] number = new char[s.length()];
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digits++;
        number[i] = c;
      } else if ((c == '.' || (c == ',' && decimalComma)) && !point) {
        point = true;
        number[i] = '.';
      } else {
        throw error(lineNo, "unreadable Ct " + show(raw) + " (expected a number, or Undetermined for no amplification)");
      }
    }
    if (digits == 0) {
      throw error(lineNo, "unreadable Ct " + show(raw) + " (expected a number, or Undetermined for no amplification)");
    }
    double ct = Double.parseDouble(new String(number));
    if (!CtValues.inRange(ct)) {
      throw error(lineNo, "Ct " + show(raw) + " is out of range (must be greater than 0 and less than 60)");
    }
    return ct;
  }

  private static int skipWhitespace(String text, int from, int to) {
    int i = from;
    while (i < to && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    return i;
  }

  /**
   * Whether the line (from its first non-blank character, a '[') is "[Name]" and nothing else;
   * after the header it must not contain the separator, so a data row is never mistaken for one.
   */
  private static boolean isSection(String text, int first, int end, char separator) {
    int last = end - 1;
    while (last > first && Character.isWhitespace(text.charAt(last))) {
      last--;
    }
    if (last <= first || text.charAt(last) != ']') {
      return false;
    }
    for (int i = first; i < last; i++) {
      if (text.charAt(i) == separator) {
        return false;
      }
    }
    return true;
  }

  private static boolean allBlank(List<String> fields) {
    for (String f : fields) {
      if (!f.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** A value quoted for a message, shortened so a garbage file does not produce a huge error. */
  private static String show(String value) {
    String v = value.length() > 40 ? value.substring(0, 40) + "…" : value;
    StringBuilder s = new StringBuilder(v.length() + 2).append('\'');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      s.append(Character.isISOControl(c) ? ' ' : c);
    }
    return s.append('\'').toString();
  }

  private static ApiException error(int line, String what) {
    return ApiException.badRequest(CODE, FIELD, "Line " + line + ": " + what);
  }
}
