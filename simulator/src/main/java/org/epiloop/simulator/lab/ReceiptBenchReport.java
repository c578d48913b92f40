package org.epiloop.simulator.lab;

import java.util.ArrayList;
import java.util.List;

/** The receipt-bench result as Markdown. */
final class ReceiptBenchReport {

  private ReceiptBenchReport() {}

  static String markdown(ReceiptBench.Result r) {
    ReceiptBench.Config c = r.config;
    Md md = new Md();
    md.line("# Epiloop receipt-bench report");
    md.line("");
    md.line("- Server: %s", c.url());
    md.line("- Run prefix: `%s` (district `rb-%s`, %d sites with a collector each, lab `%s`, %d lab technicians, %d couriers)",
        r.runPrefix, r.runPrefix, c.sites(), r.labCode, c.benches(), c.couriers());
    md.line("- Started: %s; receipt phase %s – %s; measured from %s", Md.ts(r.startedAt), Md.ts(r.phaseFrom),
        Md.ts(r.phaseTo), Md.ts(r.measuredFrom));
    md.line("- Load: %d concurrent benches (one LAB_TECH each) draining a shared queue of %d boxes of up to %d single tubes "
        + "(%d tubes); per box: open, scan every tube, close, one request after another", c.benches(), r.boxes, c.boxSize(),
        r.tubesShipped);
    md.line("- Client: %s", Md.clientLine());
    md.line("- Command line: `%s`", c.commandLine());
    md.line("");

    md.line("## Setup (not measured)");
    md.line("");
    md.line("| step | seconds |");
    md.line("|---|---:|");
    md.line("| directory: district, %d sites + collectors, lab, %d technicians, %d couriers | %.1f |", c.sites(), c.benches(),
        c.couriers(), r.setupDirectorySeconds);
    md.line("| fill %d single tubes (open + 1 binding each), %d threads | %.1f |", c.tubes(), c.fillers(), r.setupFillSeconds);
    md.line("| pack %d boxes, seal, hand over, deliver | %.1f |", r.boxes, r.setupShipSeconds);
    md.line("| **total** | **%.1f** |", r.setupSeconds);
    md.line("");
    md.line("%d ID numbers used. Setup request failures (retried where transient):", r.idsIssued);
    md.line("");
    md.errors(r.setupErrors);
    md.line("");

    md.line("## Throughput");
    md.line("");
    md.line("Warm-up: the first %d scans (10%%) are not measured. The measured window runs from the completion of scan #%d "
        + "to the completion of the last scan; it includes the tail, where the queue runs dry and benches fall idle one by one "
        + "(the \"10%%–90%%\" row excludes it).", r.warmupScans, r.warmupScans);
    md.line("");
    md.line("| window | seconds | tube scans RECEIVED | **scans/s** |");
    md.line("|---|---:|---:|---:|");
    if (r.measuredSeconds > 0) {
      md.line("| measured (scan #%d to the last) | %.1f | %d | **%.1f** |", r.warmupScans, r.measuredSeconds, r.scansMeasured,
          r.scansMeasured / r.measuredSeconds);
    }
    if (r.steadySeconds > 0) {
      md.line("| steady state (10%%–90%% of the scans) | %.1f | %d | %.1f |", r.steadySeconds, r.steadyScans,
          r.steadyScans / r.steadySeconds);
    }
    md.line("| whole receipt phase (incl. warm-up, opens and closes) | %.1f | %d | %.1f |", r.phaseSeconds, r.scansReceived,
        r.scansReceived / r.phaseSeconds);
    md.line("");
    md.line("Boxes closed: %d of %d (%d after the warm-up), %.2f boxes/s over the whole phase. Scan requests sent: %d.",
        r.boxesClosed, r.boxes, r.boxesClosedMeasured, r.boxesClosed / r.phaseSeconds, r.scanAttempts);
    md.line("");

    md.line("## Latency of successful requests (ms)");
    md.line("");
    md.line(Md.LATENCY_HEADER);
    md.line(Md.LATENCY_RULE);
    md.line(Md.latencyRow("**tube scan** `POST …/receipts/{box}/tubes` (measured, after warm-up)", r.scanMeasured.histogram()));
    md.line(Md.latencyRow("tube scan (whole phase)", r.scanAll.histogram()));
    md.line(Md.latencyRow("box open `POST /labs/{lab}/receipts` (whole phase)", r.open.histogram()));
    md.line(Md.latencyRow("box close `POST …/receipts/{box}/close` (whole phase)", r.close.histogram()));
    md.line(Md.latencyRow("one box at a bench, open to close (whole phase)", r.box.histogram()));
    md.line("");

    md.line("## Errors and wrong answers (receipt phase)");
    md.line("");
    md.line("Every scan must answer `RECEIVED` and every close `received` = tubes packed with nothing missing, unexpected or "
        + "rejected; anything else is counted here.");
    md.line("");
    md.errors(r.errors);
    md.line("");

    List<Resources.Window> windows = new ArrayList<>();
    if (r.measuredWindow != null) {
      windows.add(r.measuredWindow);
    }
    windows.add(r.wholeWindow);
    r.resources.markdown(md, windows.toArray(new Resources.Window[0]));
    return md.toString();
  }
}
