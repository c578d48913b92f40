package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.modulith.events.IncompleteEventPublications;

/**
 * A crash between stages loses nothing: when the listener that turns a released run into
 * person results fails (here its table is briefly unavailable), the publication stays
 * incomplete in the registry; resubmitting it — what a restart does — completes the work.
 */
class EventRecoveryTest extends IntegrationTest {

  @Autowired IncompleteEventPublications incomplete;
  @Autowired Environment env;

  @Test
  void aFailedListenerCompletesOnResubmission() {
    Released r = releasedWhileItsListenerFails();
    incomplete.resubmitIncompletePublications(p -> p.getEvent() instanceof org.epiloop.lab.RunReleased e && e.runId().toString().equals(r.run()));
    awaitResults(r);
  }

  /**
   * A listener cut off by a database outage cannot record its failure: its publication stays
   * PROCESSING. When the embedded server dies and is started again, the publication runs
   * again without a restart of the application (issue 13, ADR 0015).
   */
  @Test
  void aListenerCutOffByADatabaseOutageCompletesWhenTheDatabaseIsBack() throws Exception {
    Released r = releasedWhileItsListenerFails();
    jdbc.sql("update event_publication set status = 'PROCESSING' where serialized_event like ? and completion_date is null")
        .param("%" + r.run() + "%").update();

    Path pidFile = Path.of(env.getRequiredProperty("epiloop.data-dir"), "pg", "postmaster.pid");
    long postmaster = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
    ProcessHandle.of(postmaster).orElseThrow().destroyForcibly(); // kill -9
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
        Long.parseLong(Files.readAllLines(pidFile).get(0).strip()) != postmaster
            && api().get("/actuator/health/readiness").status() == 200);
    awaitResults(r);
  }

  private record Released(String tube, String run) {}

  /** A run released while the listener that makes person results fails (its table is briefly away). */
  private Released releasedWhileItsListenerFails() {
    Corner c = corner();
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 5).tubeCode();
    String box = unique("B");
    Flows.ship(c.collector(), courier, box, c.lab(), List.of(tube));
    Flows.receive(tech, c.lab(), box, List.of(tube));
    Map<String, String> layout = Plates.layout(List.of(tube));
    String run = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"), "wells", Plates.wellsJson(layout))), 201).str("runId");

    jdbc.sql("alter table person_results rename to person_results_offline").update();
    try {
      ok(tech.postRaw("/api/v1/runs/" + run + "/results", "text/csv", Plates.csv(layout, Set.of(), false)), 200); // auto-released
      await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
              select count(*) from event_publication
              where serialized_event like ? and completion_date is null and status = 'FAILED'""")
          .param("%" + run + "%").query(Integer.class).single() == 1);
    } finally {
      jdbc.sql("alter table person_results_offline rename to person_results").update();
    }
    assertThat(jdbc.sql("select count(*) from person_results where tube_code = ?").param(tube).query(Integer.class).single()).isZero();
    return new Released(tube, run);
  }

  private void awaitResults(Released r) {
    await().atMost(Duration.ofSeconds(20)).until(() ->
        jdbc.sql("select count(*) from person_results where tube_code = ?").param(r.tube()).query(Integer.class).single() == 5);
    // a publication is marked complete after its listener's transaction commits: a moment later
    await().atMost(Duration.ofSeconds(20)).until(() ->
        jdbc.sql("select count(*) from event_publication where serialized_event like ? and completion_date is null")
            .param("%" + r.run() + "%").query(Integer.class).single() == 0);
  }
}
