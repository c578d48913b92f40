package org.epiloop.directory;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Map;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** The ADMIN endpoints that set up a city, and the public site finder. */
@RestController
@RequestMapping("/api/v1")
class DirectoryController {

  private final Directory directory;
  private final SiteActivity activity;

  DirectoryController(Directory directory, SiteActivity activity) {
    this.directory = directory;
    this.activity = activity;
  }

  record NewDistrict(String code, String name) {}

  record NewSite(String code, String name, String districtCode, Double latitude, Double longitude, String openingHours) {}

  record NewGrid(String code, String name, String districtCode) {}

  record NewLab(String code, String name, String districtCode, Integer dailyCapacity, Double latitude, Double longitude) {}

  @Operation(summary = "Create a district (ADMIN)")
  @PostMapping("/districts")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('ADMIN')")
  Directory.District district(@RequestBody NewDistrict body) {
    return directory.createDistrict(body.code(), body.name());
  }

  /** A district's outline: a GeoJSON Polygon or MultiPolygon, bare or as a Feature. */
  record OutlineChange(JsonNode outline) {}

  @Operation(summary = "Set a district's outline for the city map: GeoJSON Polygon or MultiPolygon of [longitude, latitude], bare or as a Feature (ADMIN)")
  @PutMapping("/districts/{code}/outline")
  @PreAuthorize("hasRole('ADMIN')")
  Directory.District setOutline(@PathVariable String code, @RequestBody OutlineChange body) {
    if (body.outline() == null || body.outline().isNull()) {
      throw ApiException.badRequest("FIELD_REQUIRED", "outline", "outline is required (DELETE removes an outline)");
    }
    return directory.setOutline(code, body.outline());
  }

  @Operation(summary = "Remove a district's outline (ADMIN)")
  @DeleteMapping("/districts/{code}/outline")
  @PreAuthorize("hasRole('ADMIN')")
  Directory.District removeOutline(@PathVariable String code) {
    return directory.setOutline(code, null);
  }

  record OutlineProperties(String code, String name) {}

  record OutlineFeature(String type, String id, OutlineProperties properties, JsonNode geometry) {}

  /** The outlines as one GeoJSON FeatureCollection, which ECharts registers as a map as it is. */
  record OutlineCollection(String type, List<OutlineFeature> features) {}

  @Operation(summary = "The districts' outlines as a GeoJSON FeatureCollection (feature id and properties.code: the district code) for the city map (staff)")
  @GetMapping("/districts/outlines")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER')")
  OutlineCollection outlines() {
    return new OutlineCollection("FeatureCollection", directory.outlines().stream()
        .map(o -> new OutlineFeature("Feature", o.code(), new OutlineProperties(o.code(), o.name()), o.geometry())).toList());
  }

  @Operation(summary = "Create a sampling site (ADMIN)")
  @PostMapping("/sites")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('ADMIN')")
  Directory.Site site(@RequestBody NewSite body) {
    return directory.createSite(body.code(), body.name(), body.districtCode(), body.latitude(), body.longitude(), body.openingHours());
  }

  @Operation(summary = "Create a lab (ADMIN)")
  @PostMapping("/labs")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('ADMIN')")
  Directory.Lab lab(@RequestBody NewLab body) {
    return directory.createLab(body.code(), body.name(), body.districtCode(), body.dailyCapacity(), body.latitude(), body.longitude());
  }

  @Operation(summary = "Create a grid in a district (ADMIN, OFFICIAL)")
  @PostMapping("/grids")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Directory.Grid grid(@RequestBody NewGrid body) {
    return directory.createGrid(body.code(), body.name(), body.districtCode());
  }

  @Operation(summary = "List the grids of a district (residents choose theirs when declaring)")
  @GetMapping("/grids")
  @PreAuthorize("isAuthenticated()")
  List<Directory.Grid> grids(@RequestParam(required = false) String districtCode) {
    return directory.grids(districtCode);
  }

  record NewHospital(String code, String name, String districtCode, String gridCode) {}

  @Operation(summary = "Designate a hospital with a fever clinic in a district (ADMIN, OFFICIAL)")
  @PostMapping("/hospitals")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Directory.Hospital hospital(@RequestBody NewHospital body) {
    return directory.createHospital(Actor.current(), body.code(), body.name(), body.districtCode(), body.gridCode());
  }

  /** Why a hospital's designation ends (kept with it and in the audit log). */
  record Undesignation(String reason) {}

  @Operation(summary = "End a hospital's designation: its accounts report no new visits (403 HOSPITAL_NOT_DESIGNATED); "
      + "409 HOSPITAL_NOT_DESIGNATED when ended already (ADMIN, OFFICIAL; audited)")
  @PostMapping("/hospitals/{code}/undesignation")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Directory.Hospital undesignate(@PathVariable String code, @RequestBody(required = false) Undesignation body) {
    return directory.undesignateHospital(Actor.current(), code, body == null ? null : body.reason());
  }

  @Operation(summary = "Designate an undesignated hospital again; 409 HOSPITAL_DESIGNATED when it is (ADMIN, OFFICIAL; audited)")
  @PostMapping("/hospitals/{code}/designation")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  Directory.Hospital redesignate(@PathVariable String code) {
    return directory.redesignateHospital(Actor.current(), code);
  }

  @Operation(summary = "List the hospitals, designated or no longer (designated, undesignatedAt, reason) (ADMIN, OFFICIAL)")
  @GetMapping("/hospitals")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL')")
  List<Directory.Hospital> hospitals() {
    return directory.hospitals();
  }

  @Operation(summary = "List districts (staff)")
  @GetMapping("/districts")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','VENUE_MANAGER','GRID_WORKER','HOSPITAL','RESIDENT')")
  List<Directory.District> districts() {
    return directory.districts();
  }

  @Operation(summary = "List sites (staff)")
  @GetMapping("/sites")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER')")
  List<Directory.Site> sites() {
    return directory.sites();
  }

  @Operation(summary = "List labs (staff)")
  @GetMapping("/labs")
  @PreAuthorize("hasAnyRole('ADMIN','OFFICIAL','COLLECTOR','COURIER','LAB_TECH','LAB_REVIEWER')")
  List<Directory.Lab> labs() {
    return directory.labs();
  }

  /** A nearby site as the public sees it: where, when open, and how busy in the last hour. */
  record Nearby(String code, String name, String districtCode, double latitude, double longitude, String openingHours,
      long distanceMeters, long sampledLastHour) {}

  @Operation(summary = "The sampling sites nearest to a point, with opening hours and persons sampled in the last hour (public)")
  @GetMapping("/sites/nearby")
  List<Nearby> nearby(@RequestParam Double latitude, @RequestParam Double longitude,
      @RequestParam(defaultValue = "10") Integer limit) {
    if (latitude < -90 || latitude > 90) {
      throw ApiException.badRequest("INVALID_COORDINATES", "latitude", "latitude must be between -90 and 90");
    }
    if (longitude < -180 || longitude > 180) {
      throw ApiException.badRequest("INVALID_COORDINATES", "longitude", "longitude must be between -180 and 180");
    }
    if (limit < 1 || limit > 50) {
      throw ApiException.badRequest("INVALID_PARAMETER", "limit", "limit must be between 1 and 50");
    }
    List<Directory.NearbySite> sites = directory.nearby(latitude, longitude, limit);
    Map<String, Long> busy = activity.sampledLastHour(sites.stream().map(Directory.NearbySite::code).toList());
    return sites.stream().map(s -> new Nearby(s.code(), s.name(), s.districtCode(), s.latitude(), s.longitude(),
        s.openingHours(), s.distanceMeters(), busy.getOrDefault(s.code(), 0L))).toList();
  }
}
