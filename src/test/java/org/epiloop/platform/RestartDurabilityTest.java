package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.epiloop.EpiloopApplication;
import org.epiloop.identity.Persons;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The embedded database keeps its data in the data directory across restarts, commits
 * durably (fsync and synchronous_commit on), and the generated keys still decrypt the data.
 */
// Runs after LogPrivacyTest: starting a second application reconfigures logging for the
// whole JVM, which would detach the shared context's log file that LogPrivacyTest reads.
@org.junit.jupiter.api.Order(Integer.MAX_VALUE)
class RestartDurabilityTest {

  @Test
  void dataSurvivesARestartOnTheSameDataDirectory() throws Exception {
    Path dir = Files.createTempDirectory("epiloop-restart-");
    String[] first = {"--server.port=0", "--epiloop.data-dir=" + dir, "--epiloop.admin-password=restart-admin-pw",
        "--epiloop.admin-totp-secret=" + IntegrationTest.ADMIN_TOTP_SECRET, "--epiloop.demo=true", "--logging.level.root=WARN"};
    String personsBefore;
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(first)) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      assertThat(jdbc.sql("show fsync").query(String.class).single()).isEqualTo("on");
      assertThat(jdbc.sql("show synchronous_commit").query(String.class).single()).isEqualTo("on");
      Api api = api(app);
      String totp = IntegrationTest.totp(IntegrationTest.ADMIN_TOTP_SECRET, Instant.now());
      String token = api.post("/api/v1/auth/token", Api.obj("username", "admin", "password", "restart-admin-pw", "totp", totp))
          .str("accessToken");
      assertThat(api.as(token).post("/api/v1/districts", Api.obj("code", "AFTER-RESTART", "name", "kept")).status()).isEqualTo(201);
      personsBefore = jdbc.sql("select string_agg(id::text, ',' order by id) from persons").query(String.class).single();
      assertThat(personsBefore).isNotBlank();
      // the demo districts got their outlines from the bundled dataset
      assertThat(jdbc.sql("select count(*) from districts where code in ('SQ-SC', 'SQ-SY') and outline->>'type' = 'Polygon'")
          .query(Long.class).single()).isEqualTo(2);
      // the demo lab is not empty on the director's page: a director, lots, instruments, rooms, sensors and an hour of readings
      assertThat(demoLab(jdbc)).isEqualTo("LAB_DIRECTOR SQ-LAB1 · qc 1 · lots 4 · instruments 5 · rooms 2 · devices 3 · readings 240");
      String director = api.post("/api/v1/auth/token", Api.obj("username", "labdirector1", "password", "epiloop-demo")).str("accessToken");
      assertThat(api.as(director).get("/api/v1/labs/SQ-LAB1/environment").json().path("current").size()).isEqualTo(4);
      // the demo's designated fever-clinic hospital, whose account reports for it (ADR 0035)
      String clinic = api.post("/api/v1/auth/token", Api.obj("username", "hospital1", "password", "epiloop-demo")).str("accessToken");
      assertThat(api.as(clinic).get("/api/v1/fever-clinic/visits").status()).isEqualTo(200);
      assertThat(jdbc.sql("select h.code || ' ' || (h.undesignated_at is null) from hospital_staff s join hospitals h on h.code = s.hospital_code "
          + "where s.username = 'hospital1'").query(String.class).single()).isEqualTo("SQ-H01 true");
    }
    assertThat(dir.resolve("secrets.properties")).exists();

    // second start: no admin password given, demo still on
    String[] second = {"--server.port=0", "--epiloop.data-dir=" + dir, "--epiloop.demo=true", "--logging.level.root=WARN"};
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(EpiloopApplication.class).run(second)) {
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      assertThat(jdbc.sql("select name from districts where code = 'AFTER-RESTART'").query(String.class).single()).isEqualTo("kept");
      // the demo city was seeded once, not twice
      assertThat(jdbc.sql("select string_agg(id::text, ',' order by id) from persons").query(String.class).single()).isEqualTo(personsBefore);
      assertThat(demoLab(jdbc)).as("nor its lab").isEqualTo("LAB_DIRECTOR SQ-LAB1 · qc 1 · lots 4 · instruments 5 · rooms 2 · devices 3 · readings 240");
      // the admin of the first start is kept (no new one generated): its password is right, and
      // the server asks for the second factor (the first start's code may not be used again)
      assertThat(api(app).post("/api/v1/auth/token", Api.obj("username", "admin", "password", "restart-admin-pw")).code())
          .isEqualTo("TOTP_REQUIRED");
      // personal data written before the restart still decrypts with the kept keys
      Persons persons = app.getBean(Persons.class);
      assertThat(persons.view(UUID.fromString(personsBefore.split(",")[0])).orElseThrow().nameMasked()).contains("*");
    }
  }

  private static String demoLab(JdbcClient jdbc) {
    return jdbc.sql("""
            select (select role || ' ' || lab_code from staff_users where username = 'labdirector1')
              || ' · qc ' || (select count(*) from qc_control_lots where lab_code = 'SQ-LAB1')
              || ' · lots ' || (select count(*) from reagent_lots where lab_code = 'SQ-LAB1')
              || ' · instruments ' || (select count(*) from instruments where lab_code = 'SQ-LAB1')
              || ' · rooms ' || (select count(*) from env_rooms where lab_code = 'SQ-LAB1')
              || ' · devices ' || (select count(*) from env_devices where lab_code = 'SQ-LAB1')
              || ' · readings ' || (select count(*) from env_readings r join env_devices d on d.id = r.device_id where d.lab_code = 'SQ-LAB1')""")
        .query(String.class).single();
  }

  private static Api api(ConfigurableApplicationContext app) {
    return new Api("http://localhost:" + app.getEnvironment().getProperty("local.server.port"), null);
  }
}
