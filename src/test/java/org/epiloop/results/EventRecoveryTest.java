package org.epiloop.results;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.springframework.modulith.events.IncompleteEventPublications;

/**
 * A crash between stages loses nothing: when the listener that turns a released run into
 * person results fails (here its table is briefly unavailable), the publication stays
 * incomplete in the registry; resubmitting it — what a restart does — completes the work.
 */
class EventRecoveryTest extends IntegrationTest {

  @Autowired IncompleteEventPublications incomplete;

  @Test
  void aFailedListenerCompletesOnResubmission() {
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

    incomplete.resubmitIncompletePublications(p -> p.getEvent() instanceof org.epiloop.lab.RunReleased r && r.runId().toString().equals(run));
    await().atMost(Duration.ofSeconds(20)).until(() ->
        jdbc.sql("select count(*) from person_results where tube_code = ?").param(tube).query(Integer.class).single() == 5);
    // the results then publish ResultPublished (it names the run too), whose listeners finish on their own threads
    await().atMost(Duration.ofSeconds(20)).until(() ->
        jdbc.sql("select count(*) from event_publication where serialized_event like ? and completion_date is null")
            .param("%" + run + "%").query(Integer.class).single() == 0);
  }
}
