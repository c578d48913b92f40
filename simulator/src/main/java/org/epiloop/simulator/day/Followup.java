package org.epiloop.simulator.day;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.epiloop.simulator.api.ApiResponse;

/** What follows a release: the person results being written, and the recall lists. */
final class Followup {

  private Followup() {}

  /**
   * Watches released runs until the server has written every member's result
   * ({@code GET /results/runs/{runId}}), checks the counts by status, and moves the day on:
   * negative and single-positive members have their final result; the members of a positive
   * pool must appear on their site's recall list.
   */
  static final class Publication implements Runnable {

    private final CityDay day;
    private final List<Run> watching = new ArrayList<>();
    private final Map<Run, Long> lastPoll = new HashMap<>();

    Publication(CityDay day) {
      this.day = day;
    }

    @Override
    public void run() {
      while (!day.finished()) {
        try {
          Run r = day.toPublish.poll(watching.isEmpty() ? 200 : 50, TimeUnit.MILLISECONDS);
          if (r != null) {
            watching.add(r);
            day.toPublish.drainTo(watching);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        long now = System.nanoTime();
        for (Run run : new ArrayList<>(watching)) {
          if (now - lastPoll.getOrDefault(run, 0L) < 250_000_000L) {
            continue;
          }
          lastPoll.put(run, now);
          poll(run);
        }
      }
    }

    private void poll(Run run) {
      ApiResponse r = day.http.get("GET /results/runs/{run}", "/api/v1/results/runs/" + run.runId, day.city.official.token());
      int expected = run.persons();
      if (r.status() == 200 && r.body().path("persons").asInt() >= expected) {
        published(run, r.body());
      } else if (Duration.between(run.releasedAt, Instant.now()).getSeconds() > day.o.settleSeconds) {
        day.reconcileProblems.add("run " + run.runId + ": person results not all written " + day.o.settleSeconds + " s after release ("
            + r.body() + ", " + expected + " expected)");
        finish(run);
        run.tubes.forEach(t -> day.abandon(t, "results never written"));
      }
    }

    private void published(Run run, JsonNode counts) {
      run.publishedAt = Instant.now();
      day.metrics.stage("publication");
      day.metrics.turnaround("run: release → person results written", Duration.between(run.releasedAt, run.publishedAt).toMillis());
      int negative = 0;
      int recalled = 0;
      int positive = 0;
      for (Tube t : run.tubes) {
        if (!t.positive()) {
          negative += t.size();
        } else if (t.pooled()) {
          recalled += t.size();
        } else {
          positive += t.size();
        }
      }
      if (counts.path("negative").asInt() != negative || counts.path("recalled").asInt() != recalled
          || counts.path("positive").asInt() != positive || counts.path("retest").asInt() != 0) {
        day.reconcileProblems.add("run " + run.runId + " published " + counts + "; expected negative " + negative + ", recalled "
            + recalled + ", positive " + positive);
      }
      for (Tube t : run.tubes) {
        if (!t.positive()) {
          for (Person p : t.members()) {
            if (p.latestTube() == t) {
              day.finalResult(p, "NEGATIVE");
            }
          }
          day.done(t, Tube.Outcome.NEGATIVE);
        } else if (t.pooled()) {
          day.positivePools.put(t.code, t);
          day.expectRecall(t);
          for (Person p : t.members()) {
            day.residentCheck(p, "RECALLED");
          }
          day.done(t, Tube.Outcome.POSITIVE);
        } else {
          day.positiveSingles.put(t.code, t);
          for (Person p : t.members()) {
            if (p.latestTube() == t) {
              day.finalResult(p, "POSITIVE");
            }
          }
          day.done(t, Tube.Outcome.POSITIVE);
        }
      }
      finish(run);
    }

    private void finish(Run run) {
      watching.remove(run);
      lastPoll.remove(run);
      day.runsUnpublished.decrementAndGet();
    }
  }

  /**
   * Reads the recall lists of the sites that have recalls coming ({@code GET /recalls?siteCode=},
   * as the official) and, once every member of a positive pool or a lost tube is listed, sends
   * them back to their site for a single-tube retest.
   */
  static final class Recalls implements Runnable {

    private final CityDay day;

    Recalls(CityDay day) {
      this.day = day;
    }

    @Override
    public void run() {
      while (!day.finished()) {
        if (day.expectedRecalls.isEmpty()) {
          CityDay.sleep(200);
          continue;
        }
        Map<Integer, List<Tube>> bySite = new HashMap<>();
        day.expectedRecalls.values().forEach(t -> bySite.computeIfAbsent(t.site, s -> new ArrayList<>()).add(t));
        for (Map.Entry<Integer, List<Tube>> e : bySite.entrySet()) {
          poll(e.getKey(), e.getValue());
        }
        CityDay.sleep(300);
      }
    }

    private void poll(int site, List<Tube> outstanding) {
      String siteCode = day.city.site(site);
      ApiResponse r = day.http.get("GET /recalls", "/api/v1/recalls?siteCode=" + siteCode, day.city.official.token());
      if (r.status() != 200) {
        return;
      }
      Map<String, Integer> counts = new HashMap<>();
      Map<String, String> reasons = new HashMap<>();
      for (JsonNode n : r.body()) {
        String tube = n.path("tubeCode").asText();
        counts.merge(tube, 1, Integer::sum);
        reasons.merge(tube, n.path("reason").asText(), (a, b) -> a.equals(b) ? a : a + "," + b);
      }
      for (Tube t : outstanding) {
        int listed = counts.getOrDefault(t.code, 0);
        if (listed >= t.size()) {
          day.recallCounts.put(t.code, listed);
          day.recallReasons.put(t.code, reasons.get(t.code));
          String want = t.lostReason != null ? t.lostReason : "POOL_POSITIVE";
          if (!want.equals(reasons.get(t.code))) {
            day.reconcileProblems.add("recalls of tube " + t.code + " give reason " + reasons.get(t.code) + ", expected " + want);
          }
          Instant since = day.recallExpectedSince.get(t.code);
          for (Person p : t.members()) {
            p.recalls++;
            day.metrics.stage("recall");
            if (since != null) {
              day.metrics.turnaround("recall: result out → on the site's recall list", Duration.between(since, Instant.now()).toMillis());
            }
            day.retestsPending.incrementAndGet();
            day.retests.get(site).add(p);
            if (t.lostReason != null) {
              day.residentCheck(p, "RETEST");
            }
          }
          day.expectedRecalls.remove(t.code);
        } else {
          Instant since = day.recallExpectedSince.get(t.code);
          if (since != null && Duration.between(since, Instant.now()).getSeconds() > day.o.settleSeconds) {
            day.recallCounts.put(t.code, listed);
            day.reconcileProblems.add("tube " + t.code + ": " + listed + " of " + t.size() + " members on the recall list of " + siteCode
                + " after " + day.o.settleSeconds + " s");
            day.expectedRecalls.remove(t.code);
          }
        }
      }
    }
  }
}
