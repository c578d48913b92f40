package org.epiloop.environment;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.demo.DemoLabReady;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Role;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo city's lab rooms and sensors (issue 17 follow-up): an amplification room with its
 * pressure difference, temperature and humidity, and the sample store's −80 °C freezer, with
 * their limits and the last hour of readings (one a minute, in range), so the director's page
 * has readings and charts on a fresh demo. Seeded through this module's own services and the
 * same ingest path as gateways, only when the lab has no room yet. Nothing reports after that
 * hour (the demo runs no gateway), so the devices allow a day of silence before the silent-sensor
 * alert: a demo should not page its officials within minutes of its first start.
 */
@Component
class DemoLabEnvironment {

  private static final Actor SEEDER = new Actor("demo-seed", Role.ADMIN, null, null, null);

  private final JdbcClient jdbc;
  private final LabEnvironment environment;
  private final Readings readings;
  private final Clock clock;

  DemoLabEnvironment(JdbcClient jdbc, LabEnvironment environment, Readings readings, Clock clock) {
    this.jdbc = jdbc;
    this.environment = environment;
    this.readings = readings;
    this.clock = clock;
  }

  @EventListener
  void on(DemoLabReady lab) {
    String code = lab.labCode();
    if (jdbc.sql("select exists (select 1 from env_rooms where lab_code = ?)").param(code).query(Boolean.class).single()) {
      return;
    }
    environment.addRoom(SEEDER, code, "PCR", "扩增区 Amplification room");
    environment.addRoom(SEEDER, code, "STORE", "样本库 Sample store");
    environment.addDevice(SEEDER, code, "PCR-AIR", "压差计 Pressure gauge", "PCR", 1440);
    environment.addDevice(SEEDER, code, "PCR-TH", "温湿度计 Thermo-hygrometer", "PCR", 1440);
    environment.addDevice(SEEDER, code, "FRZ-80", "−80 °C 冰箱探头 Freezer probe", "STORE", 1440);
    environment.setThreshold(SEEDER, code, "PCR", null, "PRESSURE_DIFF", -30.0, -5.0, 120);
    environment.setThreshold(SEEDER, code, "PCR", null, "TEMPERATURE", 18.0, 26.0, 300);
    environment.setThreshold(SEEDER, code, "PCR", null, "HUMIDITY", 30.0, 70.0, 600);
    environment.setThreshold(SEEDER, code, "STORE", "FRZ-80", "TEMPERATURE", -90.0, -60.0, 300);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MINUTES);
    List<Readings.Reading> batch = new ArrayList<>();
    for (int m = 60; m >= 1; m--) {
      Instant at = now.minus(Duration.ofMinutes(m));
      // smooth, in-range curves: a demo shows what a quiet lab looks like, not invented alarms
      double wave = Math.sin(m / 9.0);
      batch.add(new Readings.Reading("PCR-AIR", Measure.PRESSURE_DIFF, at, -15.0 + 2.0 * wave));
      batch.add(new Readings.Reading("PCR-TH", Measure.TEMPERATURE, at, 22.0 + 0.6 * wave));
      batch.add(new Readings.Reading("PCR-TH", Measure.HUMIDITY, at, 48.0 + 4.0 * Math.cos(m / 11.0)));
      batch.add(new Readings.Reading("FRZ-80", Measure.TEMPERATURE, at, -79.0 + 0.8 * wave));
    }
    readings.ingest(code, batch);
  }
}
