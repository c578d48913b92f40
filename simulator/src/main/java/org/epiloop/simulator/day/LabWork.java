package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/** The lab's three benches: receipt, plating with CSV import, and review. */
final class LabWork {

  private LabWork() {}

  /**
   * A receiving technician: opens a delivered box by scan, checks its tubes in one scan each and
   * closes the receipt, then compares the discrepancy report with what happened: tubes that fell
   * out of the box (missing), stray tubes scanned (unexpected) and leaking tubes (rejected).
   */
  static final class Receipt implements Runnable {

    private final CityDay day;
    private final int lab;
    private final City.Staff tech;
    private final SplittableRandom random;

    Receipt(CityDay day, int lab, int number) {
      this.day = day;
      this.lab = lab;
      this.tech = day.city.techs.get(lab).get(number);
      this.random = new SplittableRandom(day.o.seed * 11_000_003L + lab * 131L + number);
    }

    @Override
    public void run() {
      while (!day.finished()) {
        Box box;
        try {
          box = day.delivered.get(lab).poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (box != null) {
          receive(box);
        }
      }
    }

    private void receive(Box box) {
      String labCode = day.city.lab(lab);
      String base = "/api/v1/labs/" + labCode + "/receipts";
      ApiResponse opened = day.http.post("POST /labs/{lab}/receipts", base, tech.token(), Map.of("boxCode", box.code));
      if (opened.status() != 200) {
        box.tubes.forEach(t -> day.abandon(t, "box " + box.code + " receipt: " + opened.errorKey()));
        return;
      }
      Set<String> expected = new TreeSet<>();
      opened.body().path("expectedTubes").forEach(n -> expected.add(n.asText()));
      Set<String> packed = new TreeSet<>();
      box.tubes.forEach(t -> packed.add(t.code));
      if (!expected.equals(packed)) {
        day.reconcileProblems.add("box " + box.code + ": receipt lists " + expected.size() + " tubes, " + packed.size() + " were packed");
      }
      Set<String> missing = new TreeSet<>();
      Set<String> rejected = new TreeSet<>();
      Set<String> unexpected = new TreeSet<>();
      List<Tube> good = new ArrayList<>();
      int received = 0;
      for (Tube t : box.tubes) {
        if (random.nextDouble() < day.o.missingRate) {
          missing.add(t.code);
          day.metrics.count("fault: tubes missing from their box");
          continue;
        }
        ApiResponse s = scan(base + "/" + box.code + "/tubes", t.code);
        if (s.status() != 200 || !"RECEIVED".equals(s.text("status"))) {
          day.reconcileProblems.add("tube " + t.code + " of box " + box.code + " scanned: " + s.errorKey() + " " + s.text("status"));
          missing.add(t.code); // not checked in: the server will report it missing
          continue;
        }
        received++;
        t.receivedAt = Instant.now();
        day.metrics.stage("lab receipt");
        if (t.firstSampledAt != null) {
          day.metrics.turnaround("tube: collection → lab receipt", Duration.between(t.firstSampledAt, t.receivedAt).toMillis());
        }
        if (random.nextDouble() < day.o.retryRate) {
          day.metrics.count("fault: receipt scans sent twice");
          ApiResponse again = scan(base + "/" + box.code + "/tubes", t.code);
          if (!Objects.equals(s.text("status"), again.text("status"))) {
            day.retryMismatches.add("receipt scan of " + t.code + " twice: " + s.text("status") + " then " + again.errorKey() + " "
                + again.text("status"));
          }
        }
        if (random.nextDouble() < day.o.rejectRate) {
          ApiResponse r = day.http.post("POST /labs/{lab}/receipts/{box}/tubes/{tube}/rejection",
              base + "/" + box.code + "/tubes/" + t.code + "/rejection", tech.token(), Map.of("reason", "LEAKING: cap not closed"));
          if (r.status() == 200) {
            rejected.add(t.code);
            day.metrics.count("fault: tubes rejected (leaking)");
            continue;
          }
        }
        if (random.nextDouble() < day.o.unexpectedRate) {
          String stray = day.newStrayCode();
          ApiResponse u = scan(base + "/" + box.code + "/tubes", stray);
          day.metrics.count("fault: stray tubes scanned");
          if (u.status() == 200 && "UNEXPECTED".equals(u.text("status"))) {
            unexpected.add(stray);
          } else {
            day.reconcileProblems.add("stray tube " + stray + " in box " + box.code + " scanned: " + u.errorKey() + " " + u.text("status"));
          }
        }
        good.add(t);
      }
      ApiResponse closed = day.http.post("POST /labs/{lab}/receipts/{box}/close", base + "/" + box.code + "/close", tech.token(), Map.of());
      box.receivedAt = Instant.now();
      if (closed.status() != 200) {
        box.tubes.forEach(t -> day.abandon(t, "box " + box.code + " close: " + closed.errorKey()));
        return;
      }
      JsonNode c = closed.body();
      box.receivedCount = c.path("received").asInt(-1);
      boolean ok = box.receivedCount == received && set(c.path("missing")).equals(missing)
          && set(c.path("unexpected")).equals(unexpected) && set(c.path("rejected")).equals(rejected);
      box.reconciled = ok;
      if (!ok) {
        day.reconcileProblems.add("box " + box.code + " closed with " + c + "; expected received " + received + ", missing " + missing
            + ", unexpected " + unexpected + ", rejected " + rejected);
      }
      for (Tube t : box.tubes) {
        if (missing.contains(t.code)) {
          day.lost(t, "MISSING");
        } else if (rejected.contains(t.code)) {
          day.lost(t, "REJECTED");
        }
      }
      day.toPlate.get(lab).addAll(good);
    }

    private ApiResponse scan(String path, String tubeCode) {
      return day.http.post("POST /labs/{lab}/receipts/{box}/tubes", path, tech.token(), Map.of("tubeCode", tubeCode));
    }

    private static Set<String> set(JsonNode array) {
      Set<String> s = new TreeSet<>();
      array.forEach(n -> s.add(n.asText()));
      return s;
    }
  }

  /**
   * The plate bench: loads up to 94 waiting tubes with both controls onto a plate when a plate's
   * worth waits or the oldest tube has waited {@code --plate-wait-ms}, "runs" it and imports the
   * instrument CSV (sometimes twice, which must answer the same). A run whose samples are all
   * negative is released at once by auto-review; one with positives goes to the reviewer.
   */
  static final class Plater implements Runnable {

    private final CityDay day;
    private final int lab;
    private final City.Staff tech;
    private final SplittableRandom random;
    private final List<Tube> waiting = new ArrayList<>();
    /** Runs since the lab last corrected its positive control: the drift grows with them. */
    private int sinceCorrection;

    Plater(CityDay day, int lab) {
      this.day = day;
      this.lab = lab;
      this.tech = day.city.techs.get(lab).get(0);
      this.random = new SplittableRandom(day.o.seed * 13_000_003L + lab);
    }

    @Override
    public void run() {
      while (!day.finished()) {
        try {
          Tube t = day.toPlate.get(lab).poll(100, TimeUnit.MILLISECONDS);
          if (t != null) {
            waiting.add(t);
            day.toPlate.get(lab).drainTo(waiting);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        while (!waiting.isEmpty() && (waiting.size() >= Instrument.TUBE_WELLS
            || Duration.between(waiting.get(0).receivedAt, Instant.now()).toMillis() >= day.o.plateWaitMillis)) {
          List<Tube> plate = new ArrayList<>(waiting.subList(0, Math.min(Instrument.TUBE_WELLS, waiting.size())));
          waiting.subList(0, plate.size()).clear();
          run(plate);
        }
      }
    }

    private void run(List<Tube> tubes) {
      Run run = new Run(day.newPlateCode(), lab, tubes);
      List<String> codes = tubes.stream().map(t -> t.code).toList();
      String kit = day.city.kitLots.isEmpty() ? null : day.city.kitLots.get(lab);
      String cycler = day.city.cyclers.isEmpty() ? null : day.city.cyclers.get(lab);
      ApiResponse loaded = day.http.post("POST /labs/{lab}/runs", "/api/v1/labs/" + day.city.lab(lab) + "/runs", tech.token(),
          Instrument.runBody(run.plateCode, codes, kit, cycler));
      if (loaded.status() != 201 || loaded.text("runId") == null) {
        tubes.forEach(t -> day.abandon(t, "plate " + run.plateCode + " could not be loaded: " + loaded.errorKey()));
        return;
      }
      run.runId = loaded.text("runId");
      run.loadedAt = Instant.now();
      tubes.forEach(t -> t.run = run);
      day.runs.add(run);
      day.metrics.stage("plating");
      if (kit != null) {
        day.kitReactions.get(lab).addAndGet(tubes.size() + 2); // every well, controls too
      }
      boolean[] positive = new boolean[tubes.size()];
      for (int i = 0; i < positive.length; i++) {
        positive[i] = tubes.get(i).positive();
      }
      String csv = Instrument.csv(positive, positiveControl());
      String path = "/api/v1/runs/" + run.runId + "/results";
      ApiResponse r = day.http.csv("POST /runs/{run}/results", path, tech.token(), csv);
      if (r.status() != 200) {
        tubes.forEach(t -> day.abandon(t, "results of run " + run.runId + ": " + r.errorKey()));
        return;
      }
      day.metrics.stage("results import");
      run.status = r.text("status");
      boolean held = qc(run);
      String expectedStatus = run.positive() || held ? "RESULTS_ENTERED" : "RELEASED";
      if (!expectedStatus.equals(run.status)) {
        day.reconcileProblems.add("run " + run.runId + " answered " + run.status + ", expected " + expectedStatus);
      }
      Map<String, String> interpretations = new HashMap<>();
      r.body().path("samples").forEach(s -> interpretations.put(s.path("tubeCode").asText(), s.path("interpretation").asText()));
      Set<String> wrong = new HashSet<>();
      for (int i = 0; i < tubes.size(); i++) {
        String want = positive[i] ? "POSITIVE" : "NEGATIVE";
        if (!want.equals(interpretations.get(tubes.get(i).code))) {
          wrong.add(tubes.get(i).code + "=" + interpretations.get(tubes.get(i).code));
        }
      }
      if (!wrong.isEmpty()) {
        day.reconcileProblems.add("run " + run.runId + ": interpretations differ from the CSV for " + wrong);
      }
      if (random.nextDouble() < day.o.csvTwiceRate) {
        day.metrics.count("fault: instrument CSVs uploaded twice");
        ApiResponse again = day.http.csv("POST /runs/{run}/results", path, tech.token(), csv);
        if (again.status() != 200 || !Objects.equals(r.text("status"), again.text("status"))
            || !r.body().path("samples").equals(again.body().path("samples"))) {
          day.retryMismatches.add("CSV of run " + run.runId + " uploaded twice: " + r.text("status") + " then " + again.errorKey() + " "
              + again.text("status"));
        }
      }
      switch (String.valueOf(run.status)) {
        case "RELEASED" -> {
          day.metrics.count("runs auto-reviewed (all negative)");
          day.released(run);
        }
        case "RESULTS_ENTERED" -> day.toReview.get(lab).add(run);
        default -> tubes.forEach(t -> day.abandon(t, "run " + run.runId + " is " + run.status));
      }
    }

    /**
     * This run's positive control: the lot's mean plus random scatter, and on ORF1ab an upward
     * drift that grows run by run (a degrading control or a cycler block going out of calibration)
     * until a Westgard rejection makes the lab correct it.
     */
    private Instrument.PositiveControl positiveControl() {
      double sd = Instrument.PC_SD;
      double orf = Instrument.PC_ORF1AB_MEAN + sd * (day.o.qcScatter * gaussian() + day.o.qcDrift * sinceCorrection);
      sinceCorrection++;
      return new Instrument.PositiveControl(orf, Instrument.PC_N_MEAN + sd * day.o.qcScatter * gaussian(),
          Instrument.PC_IC_MEAN + sd * day.o.qcScatter * gaussian());
    }

    private double gaussian() {
      // Box–Muller on the seeded generator, so a day replays with its seed
      double u = 1.0 - random.nextDouble();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    /** Reads the run's QC verdict and counts it; true when a rejection holds the run for a corrective action. */
    private boolean qc(Run run) {
      if (day.city.kitLots.isEmpty() || day.city.kitLots.get(lab) == null) {
        return false;
      }
      ApiResponse v = day.http.get("GET /runs/{run}", "/api/v1/runs/" + run.runId, tech.token());
      String status = v.status() == 200 ? v.body().path("qc").path("status").asText("") : "";
      switch (status) {
        case "WARNING" -> day.metrics.count("QC: runs with a 1-2s warning");
        case "REJECTED" -> {
          day.metrics.count("QC: runs held by a Westgard rejection");
          sinceCorrection = 0; // the lab finds the cause: the control is on target again
          return true;
        }
        case "PASS" -> day.metrics.count("QC: runs in control");
        default -> day.reconcileProblems.add("run " + run.runId + " has no QC verdict: " + v.errorKey());
      }
      return false;
    }
  }

  /** The reviewer: approves runs with positives (not the technician who imported them), which releases them. */
  static final class Reviewer implements Runnable {

    private final CityDay day;
    private final int lab;
    private final City.Staff reviewer;

    Reviewer(CityDay day, int lab) {
      this.day = day;
      this.lab = lab;
      this.reviewer = day.city.reviewers.get(lab);
    }

    @Override
    public void run() {
      while (!day.finished()) {
        Run run;
        try {
          run = day.toReview.get(lab).poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (run == null) {
          continue;
        }
        ApiResponse r = day.http.post("POST /runs/{run}/approval", "/api/v1/runs/" + run.runId + "/approval", reviewer.token(), Map.of(),
            "QC_REJECTED");
        if (r.status() == 409 && "409 QC_REJECTED".equals(r.errorKey())) {
          // held by a Westgard rejection: the reviewer records what was done, then releases
          ApiResponse c = day.http.post("POST /runs/{run}/qc/corrective-action", "/api/v1/runs/" + run.runId + "/qc/corrective-action",
              reviewer.token(), Map.of("action", "Control re-run on a new aliquot; cycler checked; in control"));
          if (c.status() == 200) {
            day.metrics.count("QC: corrective actions recorded");
          }
          r = day.http.post("POST /runs/{run}/approval", "/api/v1/runs/" + run.runId + "/approval", reviewer.token(), Map.of());
        }
        if (r.status() == 200 && "RELEASED".equals(r.text("status"))) {
          run.status = "RELEASED";
          day.metrics.count("runs approved by a reviewer");
          day.released(run);
        } else {
          String why = r.errorKey();
          run.tubes.forEach(t -> day.abandon(t, "run " + run.runId + " approval: " + why));
        }
      }
    }
  }
}
