package org.epiloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * X2: no ID number, name or phone reaches a log line. Runs after the other tests of the shared
 * application context (only the two tests that start applications of their own come later) and
 * reads the log of the whole test run (at DEBUG for the web layer and Epiloop), checking for
 * every ID number and phone the tests used, and for names used in its own flow, which also
 * exercises the error paths that quote input.
 */
@Order(Integer.MAX_VALUE - 1)
class LogPrivacyTest extends IntegrationTest {

  @Test
  void noPersonalDataInTheLog() throws Exception {
    Corner c = corner();
    String phone = Ids.phone();
    String id = Ids.next();
    String name = "隐私测试名";
    Api resident = Residents.login(api(), admin(), phone);
    Residents.addPerson(resident, admin(), Api.obj("idType", "CN_ID", "idNumber", id, "name", name, "districtCode", c.district()));
    String tube = unique("T");
    ok(c.collector().post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 5)), 201);
    ok(c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id, "name", name)), 201);
    // error paths that carry the input
    c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id, "name", "另一个名字"));
    c.collector().scan("/api/v1/tubes/" + tube + "/bindings", Api.obj("idType", "CN_ID", "idNumber", id.substring(0, 17) + "Z", "name", name));
    c.collector().scan("/api/v1/tubes/" + tube + "/bindings", "{\"idNumber\":\"" + id + "\",\"name\":");
    api().post("/api/v1/resident/session", Api.obj("phone", phone, "code", "000000"));

    Path log = Path.of("target/test-logs/epiloop-" + ProcessHandle.current().pid() + ".log");
    assertThat(log).exists();
    String text = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(text).as("request bodies are logged (masked), so the check is not vacuous").contains("BindRequest[CN_ID");
    assertThat(Ids.ISSUED).contains(id, phone);
    for (String secret : Ids.ISSUED) {
      assertThat(text).as("log must not contain an ID number or phone used in the tests").doesNotContain(secret);
    }
    for (String n : List.of(name, "另一个名字", "张三丰", "林美华", "林小宝", "黄大年")) {
      assertThat(text).as("log must not contain names").doesNotContain(n);
    }
  }
}
