package org.epiloop.simulator.lab;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** A small Markdown writer for the reports. */
public final class Md {

  private final StringBuilder b = new StringBuilder();

  public Md line(String format, Object... args) {
    b.append(args.length == 0 ? format : String.format(Locale.ROOT, format, args)).append('\n');
    return this;
  }

  @Override
  public String toString() {
    return b.toString();
  }

  public static final String LATENCY_HEADER = "| request | count | mean | p50 | p90 | p99 | p99.9 | max |";
  public static final String LATENCY_RULE = "|---|---:|---:|---:|---:|---:|---:|---:|";

  /** A latency row in milliseconds from a histogram of microseconds. */
  public static String latencyRow(String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      return "| " + name + " | 0 | – | – | – | – | – | – |";
    }
    return String.format(Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |", name, h.getTotalCount(),
        h.getMean() / 1000, ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1000.0);
  }

  public static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  /** The error table, or "None.". */
  public void errors(List<Errors.Line> lines) {
    if (lines.isEmpty()) {
      line("None.");
      return;
    }
    line("| request | status / answer | count | example detail |");
    line("|---|---|---:|---|");
    for (Errors.Line l : lines) {
      line("| %s | %s | %d | %s |", l.request(), l.key(), l.count(), l.example() == null ? "" : escape(l.example()));
    }
  }

  public static String escape(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }

  public static String mib(long kb) {
    return kb < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", kb / 1024.0);
  }

  public static String ts(Instant i) {
    return i == null ? "n/a"
        : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(i.atZone(ZoneId.systemDefault()).truncatedTo(ChronoUnit.MILLIS));
  }

  public static String clientLine() {
    return String.format(Locale.ROOT, "%d CPUs (Runtime.availableProcessors), Java %s (%s), %s %s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), System.getProperty("java.vm.name"),
        System.getProperty("os.name"), System.getProperty("os.arch"));
  }
}
