package org.epiloop.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.epiloop.directory.Directory;
import org.epiloop.identity.Persons;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.security.StaffUsers;
import org.epiloop.shared.Actor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Seeds the demo city once, and prints the front-door message on every start. */
@Component
@Order(10)
class DemoCity implements ApplicationRunner {

  private static final Logger log = LoggerFactory.getLogger(DemoCity.class);
  static final String DEMO_PASSWORD = "epiloop-demo";
  /** The demo city's staff logins, all with {@link #DEMO_PASSWORD}, which the README publishes. */
  static final List<String> DEMO_STAFF = List.of("collector1", "collector2", "courier1", "labtech1", "labreviewer1", "official1", "venue1", "grid1",
      "labdirector1", "hospital1");

  private final Directory directory;
  private final StaffUsers staff;
  private final Persons persons;
  private final EpiloopProperties properties;
  private final TransactionTemplate tx;
  private final Environment env;
  private final Clock clock;
  private final JsonMapper json;
  private final ApplicationEventPublisher events;

  DemoCity(Directory directory, StaffUsers staff, Persons persons, EpiloopProperties properties, TransactionTemplate tx,
      Environment env, Clock clock, JsonMapper json, ApplicationEventPublisher events) {
    this.json = json;
    this.events = events;
    this.directory = directory;
    this.staff = staff;
    this.persons = persons;
    this.properties = properties;
    this.tx = tx;
    this.env = env;
    this.clock = clock;
  }

  @Override
  public void run(ApplicationArguments args) {
    boolean seeded = false;
    if (properties.demo() && directory.district("SQ-SC").isEmpty()) {
      tx.executeWithoutResult(s -> seed());
      seeded = true;
    }
    if (properties.demo()) {
      // also for a demo city seeded before districts had outlines
      tx.executeWithoutResult(s -> outlineDistricts());
    }
    if (properties.demo() && directory.district("SQ-SC").isPresent() && directory.grid("SQ-G01").isEmpty()) {
      // a demo city seeded before grids existed gets them too
      tx.executeWithoutResult(s -> seedGrids());
    }
    if (properties.demo() && directory.district("SQ-SC").isPresent()) {
      // the lab director and the lab's own records (lots, instruments, rooms and sensors), also for a demo city seeded before them
      tx.executeWithoutResult(s -> {
        if (!staff.exists("labdirector1")) {
          staff.create("labdirector1", DEMO_PASSWORD, "LAB_DIRECTOR", null, LAB.code());
        }
        events.publishEvent(new DemoLabReady(LAB.code()));
      });
    }
    if (properties.demo() && directory.district("SQ-SC").isPresent() && directory.hospital(HOSPITAL).isEmpty()) {
      // a designated fever-clinic hospital and its account, also for a demo city seeded before them
      tx.executeWithoutResult(s -> {
        directory.createHospital(new Actor("demo-seed", org.epiloop.shared.Role.ADMIN, null, null, null), HOSPITAL, "宿迁市人民医院发热门诊",
            "SQ-SC", null);
        if (!staff.exists("hospital1")) {
          staff.createHospitalStaff("hospital1", DEMO_PASSWORD, HOSPITAL);
        }
      });
    }
    if (!properties.demo()) {
      disableDemoLogins();
    }
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    String base = "http://localhost:" + port;
    StringBuilder msg = new StringBuilder("\n  Epiloop is running at " + base + "/\n")
        .append("  Pages: ").append(base).append("/resident and /declare, /station (collector), /courier, /lab, /recalls, /track, /official, /command, /risk-areas, /early-warning and /hospitals")
        .append(" (officials), /grid (grid workers), /gate and /venues (venue managers), /admin, and for anyone /query and /sites\n")
        .append("  API docs: ").append(base).append("/swagger-ui.html\n");
    if (properties.demo()) {
      msg.append(seeded ? "  Demo city created. " : "  Demo city present. ")
          .append("Staff logins (password '").append(DEMO_PASSWORD).append("'): ")
          .append("collector1 (site SQ-S01), collector2 (SQ-S02), courier1, labtech1, labreviewer1 and labdirector1 (lab SQ-LAB1, page /lab/director), official1, venue1, grid1 (grid SQ-G01, page /grid), hospital1 (fever clinic of hospital SQ-H01, page /fever-clinic).\n")
          .append("  Residents log in with a phone code; the demo sends no real texts: read it on /admin, tab Texts")
          .append(" (admin logs in with its password and a one-time code from the TOTP secret printed when it was created).\n");
    }
    System.out.println(msg);
  }

  /**
   * A data directory that was once the demo city and is now started for real keeps the demo
   * city's data, but its staff logins (whose password is published) must stop working.
   */
  private void disableDemoLogins() {
    List<String> disabled = DEMO_STAFF.stream().filter(u -> staff.disableIfPassword(u, DEMO_PASSWORD)).toList();
    if (!disabled.isEmpty()) {
      log.warn("EPILOOP_DEMO=false: disabled the demo city's staff logins {} (their password is published); "
          + "an ADMIN can create real accounts", disabled);
    }
  }

  /** A demo site or lab: where it is, in which district (its outline must hold it: DemoCityTest). */
  record Place(String code, String name, String districtCode, double latitude, double longitude, String openingHours) {}

  static final List<Place> SITES = List.of(
      new Place("SQ-S01", "幸福街道社区采样点", "SQ-SC", 33.9630, 118.2752, "07:00-21:00"),
      new Place("SQ-S02", "古城街道采样点", "SQ-SC", 33.9521, 118.2960, "07:00-21:00"),
      new Place("SQ-S03", "顺河街道采样点", "SQ-SY", 33.9745, 118.3311, "08:00-20:00"));
  /** The demo city's designated fever-clinic hospital (account hospital1). */
  static final String HOSPITAL = "SQ-H01";
  static final Place LAB = new Place("SQ-LAB1", "宿迁市第一人民医院检验科", "SQ-SC", 33.9402, 118.2885, null);

  /** The demo city's districts by their names in the bundled dataset (which keys features by name). */
  static final Map<String, String> DEMO_DISTRICTS = Map.of("宿城区", "SQ-SC", "宿豫区", "SQ-SY");

  /**
   * Gives the demo districts that have none their real outlines, from a boundary dataset bundled
   * in the jar (demo/suqian-districts.geojson; its source and licence beside it): the map draws
   * them from the database like any city's, which an ADMIN sets on /admin.
   */
  private void outlineDistricts() {
    JsonNode features;
    try (InputStream in = new ClassPathResource("demo/suqian-districts.geojson").getInputStream()) {
      features = json.readTree(in).path("features");
    } catch (IOException e) {
      throw new UncheckedIOException("the demo city's district outlines are missing from the jar", e);
    }
    int set = 0;
    for (JsonNode feature : features) {
      String code = DEMO_DISTRICTS.get(feature.path("properties").path("name").asString(""));
      if (code != null && directory.district(code).filter(d -> !d.hasOutline()).isPresent()) {
        directory.setOutline(code, feature);
        set++;
      }
    }
    if (set > 0) {
      log.info("Demo city: outlines of {} districts set from the bundled dataset", set);
    }
  }

  /** Two community grids of 宿城区 and a grid worker for the first (issue 18). */
  private void seedGrids() {
    directory.createGrid("SQ-G01", "幸福社区网格", "SQ-SC");
    directory.createGrid("SQ-G02", "古城社区网格", "SQ-SC");
    staff.create("grid1", DEMO_PASSWORD, "GRID_WORKER", null, null, "SQ-G01");
  }

  private void seed() {
    directory.createDistrict("SQ-SC", "宿城区");
    directory.createDistrict("SQ-SY", "宿豫区");
    for (Place p : SITES) {
      directory.createSite(p.code(), p.name(), p.districtCode(), p.latitude(), p.longitude(), p.openingHours());
    }
    directory.createLab(LAB.code(), LAB.name(), LAB.districtCode(), 60000, LAB.latitude(), LAB.longitude());
    // DEMO_STAFF, with their roles
    staff.create("collector1", DEMO_PASSWORD, "COLLECTOR", "SQ-S01", null);
    staff.create("collector2", DEMO_PASSWORD, "COLLECTOR", "SQ-S02", null);
    staff.create("courier1", DEMO_PASSWORD, "COURIER", null, null);
    staff.create("labtech1", DEMO_PASSWORD, "LAB_TECH", null, "SQ-LAB1");
    staff.create("labreviewer1", DEMO_PASSWORD, "LAB_REVIEWER", null, "SQ-LAB1");
    staff.create("official1", DEMO_PASSWORD, "OFFICIAL", null, null);
    staff.create("venue1", DEMO_PASSWORD, "VENUE_MANAGER", null, null);
    // Synthetic residents with valid check characters; registered as if read from ID cards.
    Actor seeder = new Actor("demo-seed", org.epiloop.shared.Role.ADMIN, null, null, null);
    for (String[] r : List.of(new String[] {"32130219850312001", "张三"}, new String[] {"32130219900704002", "李四"},
        new String[] {"32130220120101003", "王小明"})) {
      String number = r[0] + org.epiloop.identity.IdNumbers.checkCharacter(r[0]);
      persons.findOrRegister(seeder, Persons.Document.of("CN_ID", number, r[1], clock), "SQ-SC");
    }
    log.info("Demo city seeded: 2 districts, 3 sites, 1 lab, 7 staff users, 3 residents");
  }
}
