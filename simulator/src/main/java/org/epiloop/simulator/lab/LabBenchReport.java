package org.epiloop.simulator.lab;

import org.HdrHistogram.Histogram;

/** The lab-bench result as Markdown. */
final class LabBenchReport {

  private LabBenchReport() {}

  static String markdown(LabBench.Result r) {
    LabBench.Config c = r.config;
    Md md = new Md();
    md.line("# Epiloop lab-bench report");
    md.line("");
    md.line("- Server: %s", c.url());
    md.line("- Run prefix: `%s` (district `lb-%s`, %d sites with a collector each, lab `%s`, %d lab technicians, %d couriers)",
        r.runPrefix, r.runPrefix, c.sites(), r.labCode, Math.max(c.runners(), 1), c.couriers());
    md.line("- Started: %s; phase A %s – %s; phase B until %s", Md.ts(r.startedAt), Md.ts(r.phaseAFrom), Md.ts(r.phaseATo),
        Md.ts(r.phaseBTo));
    md.line("- Load: %d plates of up to %d tubes + 2 controls (%d tubes of capacity %d = %d persons), %d concurrent runners "
        + "(lab technicians), each: create the run, post its CSV (all negative → auto-released), next plate; person results "
        + "polled every %d ms per run", c.plates(), Plate.TUBE_WELLS, r.tubes, c.pool(), (long) r.tubes * c.pool(), c.runners(),
        c.pollMillis());
    md.line("- Client: %s", Md.clientLine());
    md.line("- Command line: `%s`", c.commandLine());
    md.line("");

    md.line("## Setup (not measured)");
    md.line("");
    md.line("| step | seconds |");
    md.line("|---|---:|");
    md.line("| directory: district, %d sites + collectors, lab, technicians, a reviewer, %d couriers | %.1f |", c.sites(),
        c.couriers(), r.setupDirectorySeconds);
    md.line("| fill %d tubes of capacity %d: %d bindings, %d threads | %.1f |", r.tubes, c.pool(), (long) r.tubes * c.pool(),
        c.fillers(), r.setupFillSeconds);
    md.line("| pack %d boxes of up to %d, seal, hand over, deliver | %.1f |", r.boxes, c.boxSize(), r.setupShipSeconds);
    md.line("| receive them at the lab (open, scan, close; 16 threads) | %.1f |", r.setupReceiveSeconds);
    md.line("| **total** | **%.1f** |", r.setupSeconds);
    md.line("");
    md.line("%d ID numbers used (%.0f bindings/s while filling). Setup request failures (retried where transient):",
        r.idsIssued, r.setupFillSeconds > 0 ? r.tubes * (double) c.pool() / r.setupFillSeconds : 0);
    md.line("");
    md.errors(r.setupErrors);
    md.line("");

    md.line("## Phase A: loading plates and importing results (import + interpretation + release)");
    md.line("");
    md.line("| | count | per second |");
    md.line("|---|---:|---:|");
    md.line("| runs created (201 LOADED) | %d | %.2f |", r.runsCreated, per(r.runsCreated, r.phaseASeconds));
    md.line("| runs released by their CSV (200 RELEASED) | %d | %.2f |", r.runsReleased, per(r.runsReleased, r.phaseASeconds));
    md.line("| tubes released | %d | %.1f |", r.tubesReleased, per(r.tubesReleased, r.phaseASeconds));
    md.line("| persons released (tubes × %d) | %d | %.1f |", c.pool(), r.tubesReleased * c.pool(),
        per(r.tubesReleased * c.pool(), r.phaseASeconds));
    md.line("");
    md.line("Phase A took %.1f s (first run creation to the last CSV answer).", r.phaseASeconds);
    md.line("");
    md.line("Latency of successful requests (ms):");
    md.line("");
    md.line(Md.LATENCY_HEADER);
    md.line(Md.LATENCY_RULE);
    md.line(Md.latencyRow("**results CSV** `POST /runs/{id}/results` (text/csv, 94 tubes; import + interpret + release)",
        r.csv.histogram()));
    md.line(Md.latencyRow("create run `POST /labs/{lab}/runs` (94 tubes + 2 controls)", r.create.histogram()));
    md.line(Md.latencyRow("poll `GET /results/runs/{id}` (phase B)", r.poll.histogram()));
    md.line("");

    md.line("## Phase B: release into person results");
    md.line("");
    if (r.phaseBSeconds > 0) {
      md.line("From the first CSV POST until `GET /api/v1/results/runs/{runId}` reported `persons` = tubes × %d for %s runs:",
          c.pool(), r.runsComplete == r.runsReleased && r.runsReleased == r.runs.size() ? "**all**" : r.runsComplete + " of "
              + r.runs.size());
      md.line("");
      md.line("| | value |");
      md.line("|---|---:|");
      md.line("| **seconds until every run's person results exist** | **%.1f** |", r.phaseBSeconds);
      md.line("| persons with results | %d of %d |", r.personsComplete, r.personsExpected);
      md.line("| **persons/s** (over those seconds) | **%.0f** |", r.personsComplete / r.phaseBSeconds);
      md.line("| tubes/s (over those seconds) | %.1f |", r.personsComplete / (double) c.pool() / r.phaseBSeconds);
      md.line("| drain after phase A (last CSV answer to the last run complete) | %.1f s |", r.drainSeconds);
      md.line("");
      md.line("Per run (s; resolution: the %d ms poll interval plus one GET):", c.pollMillis());
      md.line("");
      md.line("| | count | mean | p50 | p90 | p99 | max |");
      md.line("|---|---:|---:|---:|---:|---:|---:|");
      md.line(seconds("release lag: CSV answer (RELEASED) → all its person results", r.releaseLag.histogram()));
      md.line(seconds("first CSV POST → this run's person results complete", r.sinceFirstCsv.histogram()));
    } else {
      md.line("No run's person results were complete within %d s.", c.timeoutSeconds());
    }
    md.line("");

    md.line("## Errors and wrong answers (measured phases)");
    md.line("");
    md.line("Every run must be created LOADED, its CSV must answer RELEASED with every sample NEGATIVE, and its person results "
        + "must come to exactly tubes × pool, all NEGATIVE; anything else is counted here.");
    md.line("");
    md.errors(r.errors);
    md.line("");

    r.resources.markdown(md, r.windowA, r.windowBTail, r.windowAB);
    return md.toString();
  }

  private static double per(long n, double seconds) {
    return seconds > 0 ? n / seconds : 0;
  }

  private static String seconds(String name, Histogram h) {
    if (h.getTotalCount() == 0) {
      return "| " + name + " | 0 | – | – | – | – | – |";
    }
    return String.format(java.util.Locale.ROOT, "| %s | %d | %.2f | %.2f | %.2f | %.2f | %.2f |", name, h.getTotalCount(),
        h.getMean() / 1e6, h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
        h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
  }
}
