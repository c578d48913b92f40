package org.epiloop.directory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.epiloop.audit.AuditTrail;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Districts, sites and labs: the facade other modules use. */
@Service
public class Directory {

  /** A district; hasOutline says whether the map can draw it (its outline is read with {@link #outlines()}). */
  public record District(String code, String name, boolean hasOutline) {}

  /** A district's outline: a GeoJSON Polygon or MultiPolygon, as {@link Outlines} made it canonical. */
  public record Outline(String code, String name, JsonNode geometry) {}

  /** A sampling site. */
  public record Site(String code, String name, String districtCode, double latitude, double longitude, String openingHours) {}

  /** A PCR lab. */
  public record Lab(String code, String name, String districtCode, int dailyCapacity, Double latitude, Double longitude) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final JsonMapper json;
  private final AuditTrail audit;

  Directory(JdbcClient jdbc, Clock clock, JsonMapper json, AuditTrail audit) {
    this.audit = audit;
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
  }

  @Transactional
  public District createDistrict(String code, String name) {
    Codes.check("code", code);
    String n = ApiException.required("name", name);
    try {
      jdbc.sql("insert into districts (code, name, created_at) values (?, ?, ?)")
          .params(code, n, clock.instant().atOffset(ZoneOffset.UTC)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("DISTRICT_EXISTS", "District " + code + " already exists");
    }
    return new District(code, n, false);
  }

  /**
   * Sets (or, with null, removes) a district's outline: GeoJSON Polygon or MultiPolygon, bare or
   * as a Feature. 404 DISTRICT_NOT_FOUND; 400 INVALID_OUTLINE naming the bad part.
   */
  @Transactional
  public District setOutline(String code, JsonNode outline) {
    String stored = outline == null || outline.isNull() ? null : json.writeValueAsString(Outlines.canonical(outline));
    int changed = jdbc.sql("update districts set outline = cast(? as jsonb) where code = ?").params(stored, code).update();
    if (changed == 0) {
      throw ApiException.notFound("DISTRICT_NOT_FOUND", "No district " + code);
    }
    return district(code).orElseThrow();
  }

  /** The outlines of the districts that have one, by code. */
  public List<Outline> outlines() {
    return jdbc.sql("select code, name, outline::text from districts where outline is not null order by code")
        .query((rs, i) -> new Outline(rs.getString(1), rs.getString(2), json.readTree(rs.getString(3)))).list();
  }

  @Transactional
  public Site createSite(String code, String name, String districtCode, Double latitude, Double longitude, String openingHours) {
    Codes.check("code", code);
    String n = ApiException.required("name", name);
    requireDistrict("districtCode", districtCode);
    double lat = ApiException.required("latitude", latitude);
    double lon = ApiException.required("longitude", longitude);
    if (lat < -90 || lat > 90) {
      throw ApiException.badRequest("INVALID_COORDINATES", "latitude", "latitude must be between -90 and 90");
    }
    if (lon < -180 || lon > 180) {
      throw ApiException.badRequest("INVALID_COORDINATES", "longitude", "longitude must be between -180 and 180");
    }
    try {
      jdbc.sql("""
              insert into sites (code, name, district_code, latitude, longitude, opening_hours, created_at)
              values (?, ?, ?, ?, ?, ?, ?)""")
          .params(code, n, districtCode, lat, lon, openingHours, clock.instant().atOffset(ZoneOffset.UTC)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("SITE_EXISTS", "Site " + code + " already exists");
    }
    return new Site(code, n, districtCode, lat, lon, openingHours);
  }

  @Transactional
  public Lab createLab(String code, String name, String districtCode, Integer dailyCapacity) {
    return createLab(code, name, districtCode, dailyCapacity, null, null);
  }

  /** A lab; its coordinates are optional and only used to draw it on the command centre's map. */
  @Transactional
  public Lab createLab(String code, String name, String districtCode, Integer dailyCapacity, Double latitude, Double longitude) {
    Codes.check("code", code);
    if ((latitude == null) != (longitude == null)) {
      String missing = latitude == null ? "latitude" : "longitude";
      throw ApiException.badRequest("INVALID_COORDINATES", missing, "give both latitude and longitude, or neither");
    }
    if (latitude != null && (latitude < -90 || latitude > 90)) {
      throw ApiException.badRequest("INVALID_COORDINATES", "latitude", "latitude must be between -90 and 90");
    }
    if (longitude != null && (longitude < -180 || longitude > 180)) {
      throw ApiException.badRequest("INVALID_COORDINATES", "longitude", "longitude must be between -180 and 180");
    }
    String n = ApiException.required("name", name);
    requireDistrict("districtCode", districtCode);
    int capacity = ApiException.required("dailyCapacity", dailyCapacity);
    if (capacity <= 0) {
      throw ApiException.badRequest("INVALID_CAPACITY", "dailyCapacity", "dailyCapacity must be positive");
    }
    try {
      jdbc.sql("insert into labs (code, name, district_code, daily_capacity, latitude, longitude, created_at) values (?, ?, ?, ?, ?, ?, ?)")
          .params(code, n, districtCode, capacity, latitude, longitude, clock.instant().atOffset(ZoneOffset.UTC)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("LAB_EXISTS", "Lab " + code + " already exists");
    }
    return new Lab(code, n, districtCode, capacity, latitude, longitude);
  }

  public Optional<District> district(String code) {
    return jdbc.sql("select code, name, outline is not null from districts where code = ?").param(code)
        .query(Directory::district).optional();
  }

  public Optional<Site> site(String code) {
    return jdbc.sql("select code, name, district_code, latitude, longitude, opening_hours from sites where code = ?")
        .param(code).query(Directory::site).optional();
  }

  public Optional<Lab> lab(String code) {
    return jdbc.sql("select code, name, district_code, daily_capacity, latitude, longitude from labs where code = ?").param(code)
        .query((rs, i) -> new Lab(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), (Double) rs.getObject(5), (Double) rs.getObject(6))).optional();
  }

  public List<District> districts() {
    return jdbc.sql("select code, name, outline is not null from districts order by code")
        .query(Directory::district).list();
  }

  public List<Site> sites() {
    return jdbc.sql("select code, name, district_code, latitude, longitude, opening_hours from sites order by code")
        .query(Directory::site).list();
  }

  public List<Lab> labs() {
    return jdbc.sql("select code, name, district_code, daily_capacity, latitude, longitude from labs order by code")
        .query((rs, i) -> new Lab(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), (Double) rs.getObject(5), (Double) rs.getObject(6))).list();
  }

  /** A site with its great-circle distance from a point. */
  public record NearbySite(String code, String name, String districtCode, double latitude, double longitude,
      String openingHours, long distanceMeters) {}

  /**
   * The sites nearest to a point. Distances are haversine over the sites' coordinates; a
   * city has thousands of sites, so a bounded scan in SQL is cheap.
   */
  public List<NearbySite> nearby(double latitude, double longitude, int limit) {
    return jdbc.sql("""
            select code, name, district_code, latitude, longitude, opening_hours,
                   6371000 * 2 * asin(sqrt(power(sin(radians(latitude - :lat) / 2), 2)
                     + cos(radians(:lat)) * cos(radians(latitude)) * power(sin(radians(longitude - :lon) / 2), 2))) as d
            from sites order by d limit :limit""")
        .param("lat", latitude).param("lon", longitude).param("limit", limit)
        .query((rs, i) -> new NearbySite(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4),
            rs.getDouble(5), rs.getString(6), Math.round(rs.getDouble(7))))
        .list();
  }

  /** Fails with 400 {@code UNKNOWN_DISTRICT} naming the field unless the district exists. */
  public void requireDistrict(String field, String code) {
    ApiException.required(field, code);
    if (district(code).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_DISTRICT", field, "No district " + code);
    }
  }

  /** A grid (社区网格): the part of a district whose follow-up work one or more grid workers do. */
  public record Grid(String code, String name, String districtCode) {}

  /** Creates a grid in a district (an official or an administrator divides the district). */
  @Transactional
  public Grid createGrid(String code, String name, String districtCode) {
    Codes.check("code", code);
    String n = ApiException.required("name", name);
    requireDistrict("districtCode", districtCode);
    try {
      jdbc.sql("insert into grids (code, name, district_code, created_at) values (?, ?, ?, ?)")
          .params(code, n, districtCode, clock.instant().atOffset(ZoneOffset.UTC)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("GRID_EXISTS", "Grid " + code + " already exists");
    }
    return new Grid(code, n, districtCode);
  }

  public Optional<Grid> grid(String code) {
    return jdbc.sql("select code, name, district_code from grids where code = ?").param(code)
        .query((rs, i) -> new Grid(rs.getString(1), rs.getString(2), rs.getString(3))).optional();
  }

  /** The grids of a district, or every grid when {@code districtCode} is null. */
  public List<Grid> grids(String districtCode) {
    return jdbc.sql("select code, name, district_code from grids where (?::text is null or district_code = ?) order by code")
        .params(districtCode, districtCode)
        .query((rs, i) -> new Grid(rs.getString(1), rs.getString(2), rs.getString(3))).list();
  }

  /** The grids a grid worker covers: their scope. */
  public List<String> gridsOf(String username) {
    return jdbc.sql("select grid_code from grid_workers where username = ? order by grid_code").param(username).query(String.class).list();
  }

  /** Assigns a grid worker to a grid (idempotent); the caller has checked the user is a grid worker. */
  @Transactional
  public void assignGridWorker(String username, String gridCode) {
    jdbc.sql("insert into grid_workers (username, grid_code) values (?, ?) on conflict do nothing").params(username, gridCode).update();
  }

  /**
   * A hospital with a fever clinic (发热门诊), in a district and optionally a grid. {@code designated}
   * is false once its designation was ended ({@code undesignatedAt}, with the reason): it keeps its
   * visits, but its accounts report no new ones (docs/adr/0035).
   */
  public record Hospital(String code, String name, String districtCode, String gridCode, boolean designated, Instant undesignatedAt,
      String undesignationReason) {}

  /** Designates a hospital (an official or an administrator names it); audited. */
  @Transactional
  public Hospital createHospital(Actor actor, String code, String name, String districtCode, String gridCode) {
    Codes.check("code", code);
    String n = ApiException.required("name", name);
    requireDistrict("districtCode", districtCode);
    if (gridCode != null && grid(gridCode).filter(g -> g.districtCode().equals(districtCode)).isEmpty()) {
      throw ApiException.badRequest("UNKNOWN_GRID", "gridCode", "No grid " + gridCode + " in district " + districtCode);
    }
    try {
      jdbc.sql("insert into hospitals (code, name, district_code, grid_code, created_at) values (?, ?, ?, ?, ?)")
          .params(code, n, districtCode, gridCode, clock.instant().atOffset(ZoneOffset.UTC)).update();
    } catch (DuplicateKeyException e) {
      throw ApiException.conflict("HOSPITAL_EXISTS", "Hospital " + code + " already exists");
    }
    audit.record(actor, "HOSPITAL_DESIGNATED", "hospital", code, "district " + districtCode + (gridCode == null ? "" : ", grid " + gridCode));
    return hospital(code).orElseThrow();
  }

  /**
   * Ends a hospital's designation: its accounts report no new visits from now on (403
   * HOSPITAL_NOT_DESIGNATED). 404 HOSPITAL_NOT_FOUND; 409 HOSPITAL_NOT_DESIGNATED when it was ended
   * already. Audited with the reason.
   */
  @Transactional
  public Hospital undesignateHospital(Actor actor, String code, String reason) {
    String why = ApiException.required("reason", reason).strip();
    if (why.length() > 200) {
      throw ApiException.badRequest("VALIDATION_FAILED", "reason", "reason is at most 200 characters");
    }
    Hospital h = hospital(code).orElseThrow(() -> ApiException.notFound("HOSPITAL_NOT_FOUND", "No hospital " + code));
    int changed = jdbc.sql("""
            update hospitals set undesignated_at = ?, undesignated_by = ?, undesignation_reason = ?
            where code = ? and undesignated_at is null""")
        .params(clock.instant().atOffset(ZoneOffset.UTC), actor.name(), why, h.code()).update();
    if (changed == 0) {
      throw ApiException.conflict("HOSPITAL_NOT_DESIGNATED", "Hospital " + code + " is no longer designated");
    }
    audit.record(actor, "HOSPITAL_UNDESIGNATED", "hospital", h.code(), why);
    return hospital(code).orElseThrow();
  }

  /** Designates an undesignated hospital again (409 HOSPITAL_DESIGNATED when it is designated); audited. */
  @Transactional
  public Hospital redesignateHospital(Actor actor, String code) {
    Hospital h = hospital(code).orElseThrow(() -> ApiException.notFound("HOSPITAL_NOT_FOUND", "No hospital " + code));
    int changed = jdbc.sql("""
            update hospitals set undesignated_at = null, undesignated_by = null, undesignation_reason = null
            where code = ? and undesignated_at is not null""")
        .param(h.code()).update();
    if (changed == 0) {
      throw ApiException.conflict("HOSPITAL_DESIGNATED", "Hospital " + code + " is designated already");
    }
    audit.record(actor, "HOSPITAL_DESIGNATED", "hospital", h.code(), "designated again");
    return hospital(code).orElseThrow();
  }

  public Optional<Hospital> hospital(String code) {
    return jdbc.sql(HOSPITAL + " where code = ?").param(code).query(Directory::hospital).optional();
  }

  /** The hospitals, designated or no longer, by code. */
  public List<Hospital> hospitals() {
    return jdbc.sql(HOSPITAL + " order by code").query(Directory::hospital).list();
  }

  /** The accounts that report for a hospital (HOSPITAL role), by username. */
  public List<String> hospitalStaff(String hospitalCode) {
    return jdbc.sql("select username from hospital_staff where hospital_code = ? order by username").param(hospitalCode)
        .query(String.class).list();
  }

  private static final String HOSPITAL = "select code, name, district_code, grid_code, undesignated_at, undesignation_reason from hospitals";

  private static Hospital hospital(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    java.time.OffsetDateTime ended = rs.getObject(5, java.time.OffsetDateTime.class);
    return new Hospital(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), ended == null,
        ended == null ? null : ended.toInstant(), rs.getString(6));
  }

  /** The hospital a HOSPITAL account reports for: its scope (read when needed, like a grid worker's grids). */
  public Optional<String> hospitalOf(String username) {
    return jdbc.sql("select hospital_code from hospital_staff where username = ?").param(username).query(String.class).optional();
  }

  /** Binds a HOSPITAL account to its hospital; the caller has checked the role. */
  @Transactional
  public void assignHospitalStaff(String username, String hospitalCode) {
    jdbc.sql("insert into hospital_staff (username, hospital_code) values (?, ?)").params(username, hospitalCode).update();
  }

  private static District district(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new District(rs.getString(1), rs.getString(2), rs.getBoolean(3));
  }

  private static Site site(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
    return new Site(rs.getString(1), rs.getString(2), rs.getString(3), rs.getDouble(4), rs.getDouble(5), rs.getString(6));
  }
}
