package org.epiloop.healthcode;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scans a gate made offline reach the server (H3): stored once per scan id however often they
 * are sent, each token checked again as of its scan time, and bad input answered 400 naming the field.
 */
class OfflineScansApiTest extends IntegrationTest {

  private static final String PATH = "/api/v1/health-codes/offline-scans";

  @AfterEach
  void resetClock() {
    clock.reset();
  }

  private record Code(String personId, String token) {}

  private Code greenCode() {
    String district = corner().district();
    Api resident = Residents.login(api(), admin(), Ids.phone());
    String person = Residents.addNewPerson(resident, admin(), Ids.next(), "离线", district);
    return new Code(person, ok(resident.get("/api/v1/resident/persons/" + person + "/health-code"), 200).str("token"));
  }

  private static Map<String, Object> scan(UUID id, Instant at, String token, String verdict, String reason) {
    return Api.obj("scanId", id.toString(), "scannedAt", at.toString(), "token", token, "verdict", verdict, "reason", reason);
  }

  @Test
  void scansAreStoredOnceAndEachTokenIsCheckedAgainAsOfItsScanTime() {
    Code code = greenCode();
    Api gate = staff("VENUE_MANAGER", null, null);
    Instant now = clock.instant();
    UUID admitted = UUID.randomUUID();
    UUID forged = UUID.randomUUID();
    UUID late = UUID.randomUUID();
    List<Map<String, Object>> batch = List.of(
        scan(admitted, now.minusSeconds(5), code.token(), "ADMITTED", null),
        scan(forged, now.minusSeconds(4), Forgeries.signedWithAnotherKey(code.token()), "REFUSED", "BAD_SIGNATURE"));
    // the queue reaches the server ten minutes later, when every token in it has expired
    clock.advance(Duration.ofMinutes(10));
    Api.Res first = ok(gate.post(PATH, Map.of("scans", batch)), 200);
    assertThat(first.json().path("received").asInt()).isEqualTo(2);
    assertThat(first.json().path("duplicates").asInt()).isZero();
    assertThat(first.json().path("scans").get(0).path("genuine").asBoolean()).as("genuine when it was scanned, though expired now").isTrue();
    assertThat(first.json().path("scans").get(1).path("genuine").asBoolean()).isFalse();

    // the gate did not get the answer and sends its queue again, now with a third scan: the same
    // token shown four minutes after it was signed, when it had expired
    Map<String, Object> expiredScan = scan(late, now.plus(Duration.ofMinutes(4)), code.token(), "REFUSED", "EXPIRED");
    Api.Res again = ok(gate.post(PATH, Map.of("scans", List.of(batch.get(0), batch.get(1), expiredScan))), 200);
    assertThat(again.json().path("received").asInt()).isEqualTo(1);
    assertThat(again.json().path("duplicates").asInt()).isEqualTo(2);
    assertThat(again.json().path("scans").get(2).path("genuine").asBoolean()).as("expired at its scan time").isFalse();

    record Row(String verdict, String reason, boolean genuine, UUID person, String color, String syncedBy) {}
    Map<UUID, Row> rows = new java.util.HashMap<>();
    jdbc.sql("select scan_id, verdict, reason, genuine, person_id, signed_color, synced_by from offline_scans where scan_id in (?, ?, ?)")
        .params(admitted, forged, late)
        .query((rs, i) -> rows.put(rs.getObject(1, UUID.class), new Row(rs.getString(2), rs.getString(3), rs.getBoolean(4),
            rs.getObject(5, UUID.class), rs.getString(6), rs.getString(7)))).list();
    assertThat(rows).hasSize(3);
    assertThat(rows.get(admitted)).extracting(Row::verdict, Row::genuine, Row::person, Row::color)
        .containsExactly("ADMITTED", true, UUID.fromString(code.personId()), "GREEN");
    assertThat(rows.get(forged)).extracting(Row::verdict, Row::reason, Row::genuine, Row::person)
        .containsExactly("REFUSED", "BAD_SIGNATURE", false, null);
    assertThat(rows.get(late)).extracting(Row::reason, Row::genuine, Row::person).containsExactly("EXPIRED", false, null);
    assertThat(rows.get(admitted).syncedBy()).isNotBlank();
  }

  @Test
  void badInputIsRefusedWithTheFieldNamedAndNothingStored() {
    Api gate = staff("VENUE_MANAGER", null, null);
    Instant now = clock.instant();
    UUID id = UUID.randomUUID();
    String token = "a.b.c";
    record Bad(Object body, String code, String field) {}
    List<Bad> bad = List.of(
        new Bad(Map.of(), "FIELD_REQUIRED", "scans"),
        new Bad(Map.of("scans", List.of(scan(id, now, token, "ADMITTED", null), Api.obj("scannedAt", now.toString(), "token", token,
            "verdict", "ADMITTED"))), "FIELD_REQUIRED", "scans[1].scanId"),
        new Bad(Map.of("scans", List.of(Api.obj("scanId", id.toString(), "token", token, "verdict", "ADMITTED"))), "FIELD_REQUIRED",
            "scans[0].scannedAt"),
        new Bad(Map.of("scans", List.of(scan(id, now, null, "ADMITTED", null))), "FIELD_REQUIRED", "scans[0].token"),
        new Bad(Map.of("scans", List.of(scan(id, now, token, "LET_IN", null))), "INVALID_VERDICT", "scans[0].verdict"),
        new Bad(Map.of("scans", List.of(scan(id, now, token, "REFUSED", "not a code"))), "INVALID_REASON", "scans[0].reason"),
        new Bad(Map.of("scans", List.of(scan(id, now.plus(Duration.ofHours(1)), token, "ADMITTED", null))), "INVALID_TIMESTAMP",
            "scans[0].scannedAt"),
        new Bad(Map.of("scans", List.of(scan(id, now, "x".repeat(5000), "ADMITTED", null))), "INVALID_TOKEN", "scans[0].token"),
        new Bad(Map.of("scans", List.of(Api.obj("scanId", "not-a-uuid", "scannedAt", now.toString(), "token", token,
            "verdict", "ADMITTED"))), "MALFORMED_REQUEST", "scans[0].scanId"),
        new Bad(Map.of("scans", java.util.Collections.nCopies(OfflineScans.MAX_BATCH + 1, scan(id, now, token, "ADMITTED", null))),
            "TOO_MANY", "scans"));
    for (Bad b : bad) {
      Api.Res r = gate.post(PATH, b.body());
      assertThat(r.status()).as(b.toString()).isEqualTo(400);
      assertThat(r.code()).as(r.toString()).isEqualTo(b.code());
      assertThat(r.str("field")).as(r.toString()).isEqualTo(b.field());
    }
    assertThat(jdbc.sql("select count(*) from offline_scans where scan_id = ?").param(id).query(Long.class).single()).isZero();
  }
}
