package org.epiloop.dashboard;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import java.util.Map;
import org.epiloop.directory.Directory;
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

  LabNetwork(Directory directory, StaffUsers staff) {
    this.directory = directory;
    this.staff = staff;
  }

  /**
   * One lab of the network.
   *
   * @param technicians, reviewers, directors enabled staff accounts bound to the lab
   * @param instruments the lab's registered instruments, and {@code assays} its assays: kept by
   *     the quality module (issue 17 items 1–3), filled in when it is merged; null until then
   */
  record NetworkLab(String code, String name, String districtCode, int dailyCapacity, int technicians, int reviewers, int directors,
      Integer instruments, Integer assays) {}

  @Operation(summary = "The lab network: every lab with its district, daily capacity and staff counts")
  @GetMapping("/api/v1/dashboard/lab-network")
  @PreAuthorize("hasAnyRole('OFFICIAL','ADMIN')")
  List<NetworkLab> network() {
    Map<String, Map<Role, Integer>> counts = staff.countsByLab();
    return directory.labs().stream().map(l -> {
      Map<Role, Integer> c = counts.getOrDefault(l.code(), Map.of());
      return new NetworkLab(l.code(), l.name(), l.districtCode(), l.dailyCapacity(), c.getOrDefault(Role.LAB_TECH, 0),
          c.getOrDefault(Role.LAB_REVIEWER, 0), c.getOrDefault(Role.LAB_DIRECTOR, 0), null, null);
    }).toList();
  }
}
