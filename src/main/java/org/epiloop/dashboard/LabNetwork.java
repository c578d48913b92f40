package org.epiloop.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.epiloop.directory.Directory;
import org.epiloop.environment.EnvironmentIncidents;
import org.epiloop.labquality.LabQuality;
import org.epiloop.security.StaffUsers;
import org.epiloop.shared.Role;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The lab network as one register for the command centre (L8): each lab, its capacity and staff. */
@RestController
class LabNetwork {

  private final Directory directory;
  private final StaffUsers staff;
  private final LabQuality quality;
  private final EnvironmentIncidents environment;
  private final Clock clock;

  LabNetwork(Directory directory, StaffUsers staff, LabQuality quality, EnvironmentIncidents environment, Clock clock) {
    this.directory = directory;
    this.staff = staff;
    this.quality = quality;
    this.environment = environment;
    this.clock = clock;
  }

  /** The QC failure rate is over the last day: the same window as the lab director's turnaround figures. */
  static final Duration QC_WINDOW = Duration.ofHours(24);

  /**
   * One lab of the network.
   *
   * @param technicians, reviewers, directors enabled staff accounts bound to the lab
   * @param instruments the lab's registered instruments (of which {@code cyclers} PCR cyclers),
   *     from the quality module
   * @param assays kit items with a lot in date and reactions left: what the lab can run today
   * @param qcRuns runs whose controls the Westgard rules judged in the last 24 h
   * @param qcFailureRate of those, the share a rule rejected; null when none was judged
   * @param qcHeldRuns runs a QC rejection holds now, waiting for a corrective action
   * @param lowStockLots lots at or below their low-stock mark
   * @param expiringLots lots expired or near expiry
   * @param openExcursions environment excursions open now (out of range past the grace period)
   * @param silentSensors devices silent past their silence minutes now
   */
  record NetworkLab(String code, String name, String districtCode, int dailyCapacity, int technicians, int reviewers, int directors,
      Integer instruments, Integer assays, int cyclers, int qcRuns, Double qcFailureRate, int qcHeldRuns, List<String> lowStockLots,
      List<String> expiringLots, int openExcursions, int silentSensors) {}

  @Operation(summary = "The lab network: every lab with its district, daily capacity, staff counts, instruments, assays, QC failure rate, "
      + "runs QC holds, lots low or near expiry, and open environment incidents")
  @GetMapping("/api/v1/dashboard/lab-network")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<NetworkLab> network() {
    Map<String, Map<Role, Integer>> counts = staff.countsByLab();
    Map<String, LabQuality.LabFigures> figures = quality.figuresByLab(clock.instant().minus(QC_WINDOW));
    Map<String, EnvironmentIncidents.Open> incidents = environment.openByLab();
    return directory.labs().stream().map(l -> {
      Map<Role, Integer> c = counts.getOrDefault(l.code(), Map.of());
      LabQuality.LabFigures q = figures.getOrDefault(l.code(), LabQuality.LabFigures.NONE);
      EnvironmentIncidents.Open e = incidents.getOrDefault(l.code(), EnvironmentIncidents.Open.NONE);
      return new NetworkLab(l.code(), l.name(), l.districtCode(), l.dailyCapacity(), c.getOrDefault(Role.LAB_TECH, 0),
          c.getOrDefault(Role.LAB_REVIEWER, 0), c.getOrDefault(Role.LAB_DIRECTOR, 0), q.instruments(), q.assays(), q.cyclers(), q.qcRuns(),
          q.qcFailureRate(), q.qcHeldRuns(), q.lowStockLots(), q.expiringLots(), e.excursions(), e.silentSensors());
    }).toList();
  }
}
