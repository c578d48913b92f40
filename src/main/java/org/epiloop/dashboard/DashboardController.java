package org.epiloop.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.annotation.PreDestroy;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.epiloop.alerts.Alerts;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Csv;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The command centre's figures for officials; {@code day} is a local date (default today). */
@RestController
@RequestMapping("/api/v1/dashboard")
@PreAuthorize("hasRole('OFFICIAL')")
class DashboardController {

  private final CommandCentre centre;
  private final DashboardProperties properties;
  private final Snapshots snapshots;

  DashboardController(CommandCentre centre, DashboardProperties properties) {
    this.centre = centre;
    this.properties = properties;
    this.snapshots = new Snapshots(properties.snapshotMaxAge(), properties.snapshotStaleLimit(), System::nanoTime);
  }

  @PreDestroy
  void close() {
    snapshots.close();
  }

  // The polled views come from snapshots at most epiloop.dashboard.snapshot-max-age old (see
  // Snapshots); the district views are cut from the city's. Drill-down and exports are live.

  private List<CommandCentre.District> districtsOf(LocalDate day) {
    return snapshots.get(List.of("districts", day), () -> centre.districts(day));
  }

  /** 404 for an unknown district; known ones are found in the districts' snapshot without a query. */
  private void requireDistrict(String district, LocalDate day) {
    if (district != null && districtsOf(day).stream().noneMatch(x -> x.districtCode().equals(district))) {
      centre.requireDistrict(district);
    }
  }

  private List<CommandCentre.Site> citySites(LocalDate day) {
    return snapshots.get(List.of("sites", day), () -> centre.sites(null, day));
  }

  private List<CommandCentre.Lab> labsOf(LocalDate day) {
    return snapshots.get(List.of("labs", day), () -> centre.labs(day));
  }

  @Operation(summary = "Day totals of the whole loop, city-wide or for one district")
  @GetMapping("/summary")
  CommandCentre.Summary summary(@RequestParam(required = false) String districtCode, @RequestParam(required = false) String day) {
    String district = blankToNull(districtCode);
    LocalDate d = day(day);
    requireDistrict(district, d);
    return CommandCentre.summaryOf(districtsOf(d), district, d);
  }

  @Operation(summary = "Day totals per district")
  @GetMapping("/districts")
  List<CommandCentre.District> districts(@RequestParam(required = false) String day) {
    return districtsOf(day(day));
  }

  @Operation(summary = "Per lab: received, tested, released today; backlog, oldest pending sample, rate and risk (most at risk first)")
  @GetMapping("/labs")
  List<CommandCentre.Lab> labs(@RequestParam(required = false) String day) {
    return labsOf(day(day));
  }

  @Operation(summary = "A lab's oldest pending boxes and tubes")
  @GetMapping("/labs/{labCode}/pending")
  CommandCentre.Pending pending(@PathVariable String labCode) {
    return centre.pending(labCode);
  }

  @Operation(summary = "Per site: sampled in the last hour and today, open tubes, slow flag")
  @GetMapping("/sites")
  List<CommandCentre.Site> sites(@RequestParam(required = false) String districtCode, @RequestParam(required = false) String day) {
    String district = blankToNull(districtCode);
    LocalDate d = day(day);
    requireDistrict(district, d);
    return CommandCentre.sitesOf(citySites(d), district);
  }

  @Operation(summary = "Turnaround percentiles in minutes: collection→receipt, receipt→release, collection→release")
  @GetMapping("/turnaround")
  CommandCentre.Turnaround turnaround(@RequestParam(required = false) String day) {
    LocalDate d = day(day);
    return snapshots.get(List.of("turnaround", d), () -> centre.turnaround(d));
  }

  @Operation(summary = "Hourly persons sampled, tubes received and released, persons reported")
  @GetMapping("/trend")
  CommandCentre.Trend trend(@RequestParam(required = false) String districtCode, @RequestParam(required = false) String day) {
    String district = blankToNull(districtCode);
    LocalDate d = day(day);
    requireDistrict(district, d);
    return snapshots.get(java.util.Arrays.asList("trend", district, d), () -> centre.trend(district, d));
  }

  @Operation(summary = "Unresolved alerts, newest first: CRITICAL_RESULT, BOX_OVERDUE, LAB_BACKLOG, SITE_SLOW. Stored ones carry "
      + "id and state (OPEN or ACKNOWLEDGED, with who, when and the note); computed ones clear themselves")
  @GetMapping("/alerts")
  List<Alerts.Alert> alerts() {
    LocalDate today = centre.today();
    return centre.alerts(snapshots.get(List.of("stored-alerts"), centre::storedAlerts), labsOf(today), citySites(today));
  }

  @Operation(summary = "How often the command-centre screen refreshes, in seconds")
  @GetMapping("/settings")
  java.util.Map<String, Object> settings() {
    return java.util.Map.of("refreshSeconds", properties.refresh().toSeconds(), "today", centre.today().toString(),
        "zone", centre.zone().getId());
  }

  @Operation(summary = "The day's per-site figures as CSV")
  @GetMapping(value = "/export/sites.csv", produces = "text/csv")
  ResponseEntity<byte[]> sitesCsv(@RequestParam(required = false) String day) {
    LocalDate d = day(day);
    StringBuilder csv = new StringBuilder("day,district_code,site_code,site_name,sampled_today,tubes_sealed_today,sampled_last_hour,open_tubes,slow\n");
    for (CommandCentre.Site s : centre.sites(null, d)) {
      csv.append(d).append(',').append(Csv.cell(s.districtCode())).append(',').append(Csv.cell(s.siteCode())).append(',')
          .append(Csv.cell(s.name())).append(',').append(s.sampledToday()).append(',').append(s.tubesSealedToday()).append(',')
          .append(s.sampledLastHour()).append(',').append(s.openTubes()).append(',').append(s.slow()).append('\n');
    }
    return Csv.attachment("epiloop-sites-" + d + ".csv", csv);
  }

  @Operation(summary = "The day's per-lab figures as CSV")
  @GetMapping(value = "/export/labs.csv", produces = "text/csv")
  ResponseEntity<byte[]> labsCsv(@RequestParam(required = false) String day) {
    LocalDate d = day(day);
    StringBuilder csv = new StringBuilder("day,lab_code,lab_name,district_code,received,tested,released,rejected,backlog,"
        + "oldest_pending_minutes,daily_capacity,capacity_use,rate_per_hour,at_risk\n");
    for (CommandCentre.Lab l : centre.labs(d)) {
      csv.append(d).append(',').append(Csv.cell(l.labCode())).append(',').append(Csv.cell(l.name())).append(',')
          .append(Csv.cell(l.districtCode())).append(',').append(l.received()).append(',').append(l.tested()).append(',')
          .append(l.released()).append(',').append(l.rejected()).append(',').append(l.backlog()).append(',')
          .append(l.oldestPendingMinutes() == null ? "" : l.oldestPendingMinutes()).append(',').append(l.dailyCapacity())
          .append(',').append(l.capacityUse()).append(',').append(l.ratePerHour()).append(',').append(l.atRisk()).append('\n');
    }
    return Csv.attachment("epiloop-labs-" + d + ".csv", csv);
  }

  private LocalDate day(String day) {
    if (day == null || day.isBlank()) {
      return centre.today();
    }
    try {
      return LocalDate.parse(day.trim());
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_DAY", "day", "day must be a date like 2026-11-22");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
