package org.epiloop.simulator.day;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The day's report as one self-contained HTML page: the Markdown report's content (rendered
 * from the same text, so the two never disagree) with inline SVG charts: how far each stage had
 * got over time (the stages overlap), latency per endpoint and turnaround percentiles. No
 * scripts, no fonts, nothing fetched from the internet.
 */
final class HtmlReport {

  static final String[] PALETTE = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
      "#bcbd22", "#17becf", "#393b79", "#637939", "#e7ba52", "#000000"};

  private HtmlReport() {}

  static String html(CityDay.Result r) {
    String md = DayReport.markdown(r);
    Map<String, String> charts = new TreeMap<>();
    charts.put("Stage throughput", progressChart(r));
    charts.put("Latency per endpoint (ms)", latencyChart(r));
    charts.put("Turnaround (seconds)", turnaroundChart(r));
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Epiloop city day ")
        .append(esc(String.valueOf(r.prefix))).append("</title>\n<style>\n")
        .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222;padding:0 1em}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;")
        .append("text-align:left;vertical-align:top}th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}")
        .append(".PASS{color:#fff;background:#2a8f2a;font-weight:bold}.FAIL{color:#fff;background:#c62828;font-weight:bold}")
        .append("code{font-size:12px;background:#f6f6f6;padding:0 2px}svg{display:block;margin:.5em 0 1em}")
        .append("svg text{font-family:system-ui,sans-serif;font-size:11px}h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}")
        .append("\n</style></head><body>\n");
    String[] lines = md.split("\n");
    int i = 0;
    List<String> list = new ArrayList<>();
    while (i < lines.length) {
      String l = lines[i];
      if (l.startsWith("- ")) {
        list.add(l.substring(2));
        i++;
        continue;
      }
      if (!list.isEmpty()) {
        b.append("<ul>");
        list.forEach(x -> b.append("<li>").append(inline(x)).append("</li>"));
        b.append("</ul>\n");
        list.clear();
      }
      if (l.startsWith("# ")) {
        b.append("<h1>").append(inline(l.substring(2))).append("</h1>\n");
      } else if (l.startsWith("## ")) {
        String title = l.substring(3);
        b.append("<h2>").append(inline(title)).append("</h2>\n");
        if (charts.containsKey(title)) {
          b.append(charts.get(title)).append('\n');
        }
      } else if (l.startsWith("|")) {
        List<String> rows = new ArrayList<>();
        while (i < lines.length && lines[i].startsWith("|")) {
          rows.add(lines[i]);
          i++;
        }
        table(b, rows);
        continue;
      } else if (!l.isBlank()) {
        b.append("<p>").append(inline(l)).append("</p>\n");
      }
      i++;
    }
    if (!list.isEmpty()) {
      b.append("<ul>");
      list.forEach(x -> b.append("<li>").append(inline(x)).append("</li>"));
      b.append("</ul>\n");
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void table(StringBuilder b, List<String> rows) {
    b.append("<table>\n");
    for (int k = 0; k < rows.size(); k++) {
      if (k == 1) {
        continue; // the |---| rule
      }
      List<String> cells = cells(rows.get(k));
      b.append("<tr>");
      for (String c : cells) {
        String tag = k == 0 ? "th" : "td";
        String cls = "";
        if (k > 0 && (c.equals("PASS") || c.equals("FAIL"))) {
          cls = " class=\"" + c + "\"";
        } else if (k > 0 && c.matches("[-–0-9., /]+")) {
          cls = " class=\"n\"";
        }
        b.append('<').append(tag).append(cls).append('>').append(inline(c)).append("</").append(tag).append('>');
      }
      b.append("</tr>\n");
    }
    b.append("</table>\n");
  }

  /** Splits a Markdown table row on unescaped '|'. */
  static List<String> cells(String row) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    String s = row.trim();
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == '|') {
        cur.append('|');
        i++;
      } else if (c == '|') {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    return out;
  }

  /** HTML-escapes and renders `code` and **bold**. */
  static String inline(String s) {
    String e = esc(s);
    e = e.replaceAll("`([^`]*)`", "<code>$1</code>");
    e = e.replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
    return e;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Each stage's cumulative share of its items over time: the stages overlap. */
  static String progressChart(CityDay.Result r) {
    int w = 1000;
    int h = 360;
    int left = 50;
    int right = 230;
    int top = 20;
    int bottom = 40;
    List<Metrics.Stage> stages = r.metrics.stages().stream().filter(s -> s.count.sum() > 0).toList();
    long maxSecond = 1;
    for (Metrics.Stage s : stages) {
      for (Long k : s.perSecond.keySet()) {
        maxSecond = Math.max(maxSecond, k + 1);
      }
    }
    double pw = w - left - right;
    double ph = h - top - bottom;
    StringBuilder b = svgOpen(w, h, "Progress of each stage over time");
    axes(b, left, top, pw, ph, maxSecond, "seconds since the start of the setup", "% of the stage's items");
    if (r.metrics.dayStartSeconds() >= 0) {
      double x = left + pw * r.metrics.dayStartSeconds() / maxSecond;
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
          x, top, x, top + ph));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#666\">day starts</text>", x + 3, top + 10));
    }
    int idx = 0;
    for (Metrics.Stage s : r.metrics.stages()) {
      String color = PALETTE[idx % PALETTE.length];
      idx++;
      long total = s.count.sum();
      if (total == 0) {
        continue;
      }
      TreeMap<Long, Long> sorted = new TreeMap<>();
      s.perSecond.forEach((k, v) -> sorted.put(k, v.sum()));
      StringBuilder pts = new StringBuilder();
      long cum = 0;
      long first = sorted.firstKey();
      pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", left + pw * first / maxSecond, top + ph));
      for (Map.Entry<Long, Long> e : sorted.entrySet()) {
        cum += e.getValue();
        double x = left + pw * (e.getKey() + 1) / maxSecond;
        double y = top + ph * (1 - (double) cum / total);
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      b.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(color).append("\" points=\"").append(pts).append("\"/>");
      int ly = top + 12 + (idx - 1) * 16;
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"4\" fill=\"%s\"/>", w - right + 12, ly - 4, color));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (%d)</text>", w - right + 30, ly, esc(s.name), total));
    }
    return b.append("</svg>").toString();
  }

  static String latencyChart(CityDay.Result r) {
    List<String> names = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (Map.Entry<String, Histogram> e : r.metrics.latencies().entrySet()) {
      Histogram hg = e.getValue();
      names.add(e.getKey() + " (" + hg.getTotalCount() + ")");
      values.add(new double[] {hg.getValueAtPercentile(50) / 1000.0, hg.getValueAtPercentile(90) / 1000.0,
          hg.getValueAtPercentile(99) / 1000.0});
    }
    return bars("Latency per endpoint: p50, p90, p99 (ms)", names, values, new String[] {"p50", "p90", "p99"}, "ms");
  }

  static String turnaroundChart(CityDay.Result r) {
    List<String> names = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    for (Map.Entry<String, Histogram> e : r.metrics.turnarounds().entrySet()) {
      Histogram hg = e.getValue();
      names.add(e.getKey() + " (" + hg.getTotalCount() + ")");
      values.add(new double[] {hg.getValueAtPercentile(50) / 1000.0, hg.getValueAtPercentile(90) / 1000.0,
          hg.getValueAtPercentile(99) / 1000.0});
    }
    return bars("Turnaround: p50, p90, p99 (s)", names, values, new String[] {"p50", "p90", "p99"}, "s");
  }

  /** Horizontal grouped bars, one group per name. */
  static String bars(String title, List<String> names, List<double[]> values, String[] series, String unit) {
    int left = 390;
    int w = 1000;
    int group = 8 + 7 * series.length;
    int top = 28;
    int h = top + Math.max(1, names.size()) * group + 30;
    double max = 0;
    for (double[] v : values) {
      for (double x : v) {
        max = Math.max(max, x);
      }
    }
    max = niceCeil(max);
    double pw = w - left - 70;
    StringBuilder b = svgOpen(w, h, title);
    for (int k = 0; k < series.length; k++) {
      b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"6\" width=\"12\" height=\"8\" fill=\"%s\"/><text x=\"%d\" y=\"14\">%s</text>",
          left + k * 70, PALETTE[k], left + k * 70 + 16, series[k]));
    }
    for (int t = 0; t <= 4; t++) {
      double x = left + pw * t / 4;
      b.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/>", x, top, x, h - 24));
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s %s</text>", x, h - 10, tick(max * t / 4), unit));
    }
    for (int i = 0; i < names.size(); i++) {
      int y = top + i * group;
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>", left - 6, y + group / 2 + 3,
          esc(names.get(i))));
      double[] v = values.get(i);
      for (int k = 0; k < v.length; k++) {
        double bw = max == 0 ? 0 : pw * v[k] / max;
        b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"6\" fill=\"%s\"><title>%s %s: %.1f %s</title></rect>",
            left, y + 4 + k * 7, Math.max(0.5, bw), PALETTE[k], esc(names.get(i)), series[k], v[k], unit));
      }
    }
    return b.append("</svg>").toString();
  }

  private static StringBuilder svgOpen(int w, int h, String title) {
    return new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>",
        w, h, w, h, esc(title)));
  }

  private static void axes(StringBuilder b, int left, int top, double pw, double ph, long maxSecond, String xLabel, String yLabel) {
    b.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#999\"/>", left, top, pw, ph));
    for (int t = 0; t <= 4; t++) {
      double y = top + ph * (1 - t / 4.0);
      b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>", left, y, left + pw, y));
      b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%d%%</text>", left - 4, y + 4, t * 25));
    }
    double step = niceCeil(maxSecond / 8.0);
    for (double s = 0; s <= maxSecond; s += Math.max(1, step)) {
      double x = left + pw * s / maxSecond;
      b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>", x, top + ph + 14, tick(s)));
    }
    b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">%s</text>", left + pw / 2,
        top + ph + 32, esc(xLabel)));
    b.append(String.format(Locale.ROOT, "<text x=\"12\" y=\"%.1f\" fill=\"#555\" transform=\"rotate(-90 12 %.1f)\" text-anchor=\"middle\">%s</text>",
        top + ph / 2, top + ph / 2, esc(yLabel)));
  }

  /** 1, 2, 2.5 or 5 times a power of ten, at least {@code v}. */
  static double niceCeil(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }

  private static String tick(double v) {
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : String.format(Locale.ROOT, "%.1f", v);
  }
}
