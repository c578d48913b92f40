package org.epiloop.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Race;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Alerts for officials (L5, D2): a released single-tube positive raises CRITICAL_RESULT, which
 * pages each on-duty official by SMS once — also when the event is delivered again — and moves
 * OPEN → ACKNOWLEDGED → RESOLVED with notes (audited; out of order is 409; bad input a 400
 * naming the field). The live stream is opened with a single-use ticket and carries a new alert
 * the moment it is committed.
 */
class AlertsApiTest extends IntegrationTest {

  @Autowired ApplicationEventPublisher events;
  @Autowired TransactionTemplate transactions;
  @Autowired Alerts alerts;

  private static final List<String> ON_DUTY = List.of(ON_DUTY_PHONES.split(","));

  private long pagesAbout(String phone, String subject) {
    return ok(admin().get("/api/v1/admin/sms-outbox?phone=" + phone + "&limit=200"), 200).json().valueStream()
        .filter(m -> m.path("text").asString().contains(subject)).count();
  }

  private JsonNode openAlert(Api official, String kind, String subject) {
    for (JsonNode a : ok(official.get("/api/v1/dashboard/alerts"), 200).json()) {
      if (a.path("kind").asString().equals(kind) && a.path("subject").asString().equals(subject)) {
        return a;
      }
    }
    return null;
  }

  @Test
  void aCriticalResultPagesTheOnDutyOfficialsOnceAndIsAcknowledgedThenResolved() {
    Ids.ISSUED.addAll(ON_DUTY); // LogPrivacyTest: the on-duty phones never reach the log
    Corner c = corner();
    Api official = staff("OFFICIAL", null, null);
    String tube = positiveSingleTube(c);
    await().atMost(Duration.ofSeconds(20)).until(() -> openAlert(official, "CRITICAL_RESULT", tube) != null);
    JsonNode alert = openAlert(official, "CRITICAL_RESULT", tube);
    long id = alert.path("id").asLong();
    assertThat(alert.path("state").asString()).isEqualTo("OPEN");
    await().atMost(Duration.ofSeconds(20)).until(() -> ON_DUTY.stream().allMatch(p -> pagesAbout(p, tube) == 1));

    // the event delivered again (a restart's resubmission): nobody is paged twice
    transactions.executeWithoutResult(s -> events.publishEvent(new AlertRaised(id, "CRITICAL_RESULT", tube, "again", clock.instant())));
    await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.sql("""
            select count(*) from event_publication where listener_id like '%OnDutyPaging%'
            and serialized_event like ? and completion_date is not null""")
        .param("%\"alertId\":" + id + ",%").query(Integer.class).single() == 2);
    ON_DUTY.forEach(p -> assertThat(pagesAbout(p, tube)).as(p).isEqualTo(1));

    String base = "/api/v1/dashboard/alerts/" + id;
    assertThat(official.post(base + "/resolution", Api.obj("note", "已处置")).code()).isEqualTo("ALERT_NOT_ACKNOWLEDGED");
    Api.Res noNote = official.post(base + "/acknowledgement", Map.of());
    assertThat(noNote.status()).isEqualTo(400);
    assertThat(noNote.str("field")).isEqualTo("note");
    assertThat(official.post(base + "/acknowledgement", Api.obj("note", "x".repeat(501))).str("field")).isEqualTo("note");
    assertThat(official.post("/api/v1/dashboard/alerts/abc/acknowledgement", Api.obj("note", "x")).str("field")).isEqualTo("alertId");
    assertThat(official.post("/api/v1/dashboard/alerts/999999999/acknowledgement", Api.obj("note", "x")).code()).isEqualTo("ALERT_NOT_FOUND");

    Api.Res acked = ok(official.post(base + "/acknowledgement", Api.obj("note", "已电话联系流调组 tracing team called")), 200);
    assertThat(acked.str("state")).isEqualTo("ACKNOWLEDGED");
    assertThat(acked.str("acknowledgedBy")).isNotBlank();
    assertThat(acked.str("acknowledgeNote")).contains("tracing team");
    assertThat(official.post(base + "/acknowledgement", Api.obj("note", "again")).code()).isEqualTo("ALERT_ALREADY_ACKNOWLEDGED");
    assertThat(openAlert(official, "CRITICAL_RESULT", tube).path("state").asString()).as("still unresolved, listed").isEqualTo("ACKNOWLEDGED");

    Api.Res resolved = ok(official.post(base + "/resolution", Api.obj("note", "病例已转运定点医院")), 200);
    assertThat(resolved.str("state")).isEqualTo("RESOLVED");
    assertThat(resolved.str("resolvedBy")).isEqualTo(acked.str("acknowledgedBy"));
    assertThat(openAlert(official, "CRITICAL_RESULT", tube)).as("resolved alerts leave the screens").isNull();
    assertThat(official.post(base + "/resolution", Api.obj("note", "again")).code()).isEqualTo("ALERT_ALREADY_RESOLVED");
    assertThat(jdbc.sql("select action from audit_log where subject_type = 'alert' and subject_id = ? order by id")
        .param(String.valueOf(id)).query(String.class).list()).containsExactly("ALERT_ACKNOWLEDGED", "ALERT_RESOLVED");
  }

  @Test
  void ofTwoOfficialsAcknowledgingAtOnceOneTakesTheAlert() throws Exception {
    String subject = unique("T");
    alerts.raise("CRITICAL_RESULT", subject, "Single-tube positive (a test's)");
    long id = jdbc.sql("select id from alerts where kind = 'CRITICAL_RESULT' and subject = ?").param(subject).query(Long.class).single();
    Api first = staff("OFFICIAL", null, null);
    Api second = staff("OFFICIAL", null, null);
    List<Api.Res> answers = Race.of(List.<java.util.concurrent.Callable<Api.Res>>of(
        () -> first.post("/api/v1/dashboard/alerts/" + id + "/acknowledgement", Api.obj("note", "我来处理")),
        () -> second.post("/api/v1/dashboard/alerts/" + id + "/acknowledgement", Api.obj("note", "I take it"))));
    assertThat(answers).extracting(Api.Res::status).containsExactlyInAnyOrder(200, 409);
    assertThat(answers).filteredOn(r -> r.status() == 409).extracting(Api.Res::code).containsExactly("ALERT_ALREADY_ACKNOWLEDGED");
    assertThat(jdbc.sql("select count(*) from audit_log where action = 'ALERT_ACKNOWLEDGED' and subject_id = ?")
        .param(String.valueOf(id)).query(Integer.class).single()).isEqualTo(1);
  }

  @Test
  void theLiveStreamOpensWithASingleUseTicketAndCarriesANewAlertAtOnce() throws Exception {
    Api official = staff("OFFICIAL", null, null);
    String ticket = ok(official.post("/api/v1/dashboard/alerts/stream-tickets", Map.of()), 201).str("ticket");
    Ids.ISSUED.add(ticket); // LogPrivacyTest: a ticket is a credential and never reaches the log
    assertThat(ticket).hasSizeGreaterThanOrEqualTo(40);

    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<java.io.InputStream> stream = http.send(HttpRequest.newBuilder(
        URI.create(api().base() + "/api/v1/dashboard/alerts/stream?ticket=" + ticket)).GET().build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
        for (String line; (line = in.readLine()) != null; ) {
          lines.add(line);
        }
      } catch (java.io.IOException e) {
        // the test closed the stream
      }
    });
    reader.setDaemon(true);
    reader.start();
    try {
      assertThat(next(lines, "event:ready")).isNotNull();
      String subject = unique("T");
      alerts.raise("CRITICAL_RESULT", subject, "Single-tube positive (a test's)");
      String data = next(lines, "data:");
      while (data != null && !data.contains(subject)) {
        data = next(lines, "data:");
      }
      assertThat(data).as("the new alert arrives on the stream").contains("\"kind\":\"CRITICAL_RESULT\"").contains("\"state\":\"OPEN\"");

      // single use, bound to its path, short-lived; nothing else opens the stream
      Api.Res reused = api().open("/api/v1/dashboard/alerts/stream?ticket=" + ticket);
      assertThat(reused.status()).isEqualTo(401);
      assertThat(reused.code()).isEqualTo("STREAM_TICKET_INVALID");
      assertThat(api().open("/api/v1/dashboard/alerts/stream?ticket=forged").code()).isEqualTo("STREAM_TICKET_INVALID");
      String late = ok(official.post("/api/v1/dashboard/alerts/stream-tickets", Map.of()), 201).str("ticket");
      Ids.ISSUED.add(late);
      clock.advance(Duration.ofSeconds(61));
      assertThat(api().open("/api/v1/dashboard/alerts/stream?ticket=" + late).code()).isEqualTo("STREAM_TICKET_INVALID");
      assertThat(api().open("/api/v1/dashboard/alerts/stream").status()).isEqualTo(401);
      assertThat(staff("COURIER", null, null).post("/api/v1/dashboard/alerts/stream-tickets", Map.of()).status()).isEqualTo(403);
    } finally {
      stream.body().close();
      reader.interrupt();
    }
  }

  private static String next(BlockingQueue<String> lines, String prefix) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      String line = lines.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (line != null && line.startsWith(prefix)) {
        return line;
      }
    }
    return null;
  }

  /** One person in a single tube, tested positive and released: a CRITICAL_RESULT. */
  private String positiveSingleTube(Corner c) {
    Api courier = staff("COURIER", null, null);
    Api tech = staff("LAB_TECH", null, c.lab());
    Api reviewer = staff("LAB_REVIEWER", null, c.lab());
    String tube = Flows.fillTube(c.collector(), unique("T"), 1).tubeCode();
    String run = Flows.positiveUpToRelease(c.collector(), courier, tech, c.lab(), tube, unique("B"), unique("P"));
    ok(reviewer.post("/api/v1/runs/" + run + "/approval", Map.of()), 200);
    return tube;
  }
}
