package org.epiloop.grid;

import io.swagger.v3.oas.annotations.Operation;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.epiloop.shared.Actor;
import org.epiloop.shared.FreeText;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The grid worker's task list and follow-ups (M2, M4), and the resident's home-observation diary. */
@RestController
class FollowUpController {

  private final FollowUps followUps;

  FollowUpController(FollowUps followUps) {
    this.followUps = followUps;
  }

  record FollowUp(String method, Boolean reached, @FreeText String note, Integer observeDays) {}

  record DiaryEntry(BigDecimal temperature, List<String> symptoms) {}

  @Operation(summary = "Follow-up tasks: a grid worker's own grids (or one of them); officials name a grid or a district")
  @GetMapping("/api/v1/grid/tasks")
  @PreAuthorize("hasAnyRole('GRID_WORKER','OFFICIAL')")
  List<FollowUps.Task> tasks(@RequestParam(required = false) String gridCode, @RequestParam(required = false) String districtCode,
      @RequestParam(defaultValue = "false") boolean done) {
    return followUps.list(Actor.current(), gridCode, districtCode, done);
  }

  @Operation(summary = "The grids the grid worker covers")
  @GetMapping("/api/v1/grid/grids")
  @PreAuthorize("hasRole('GRID_WORKER')")
  List<org.epiloop.directory.Directory.Grid> grids() {
    return followUps.gridsOf(Actor.current());
  }

  @Operation(summary = "One task to act on: the phone to call (audited), visits and calls, the diary")
  @GetMapping("/api/v1/grid/tasks/{taskId}")
  @PreAuthorize("hasAnyRole('GRID_WORKER','OFFICIAL')")
  ResponseEntity<FollowUps.TaskDetail> task(@PathVariable UUID taskId) {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(followUps.open(Actor.current(), taskId));
  }

  @Operation(summary = "Record a visit or a call; reaching the person closes the task; observeDays places them under home observation")
  @PostMapping("/api/v1/grid/tasks/{taskId}/follow-ups")
  @PreAuthorize("hasRole('GRID_WORKER')")
  FollowUps.TaskDetail followUp(@PathVariable UUID taskId, @RequestBody FollowUp body) {
    return followUps.contact(Actor.current(), taskId, body.method(), body.reached(), body.note(), body.observeDays());
  }

  @Operation(summary = "Enter today's temperature and symptoms on a home-observation task")
  @PostMapping("/api/v1/grid/tasks/{taskId}/diary")
  @PreAuthorize("hasRole('GRID_WORKER')")
  FollowUps.TaskDetail diary(@PathVariable UUID taskId, @RequestBody DiaryEntry body) {
    return followUps.diaryByWorker(Actor.current(), taskId, body.temperature(), body.symptoms());
  }

  @Operation(summary = "A family member's home observation and its diary")
  @GetMapping("/api/v1/resident/persons/{personId}/observation")
  @PreAuthorize("hasRole('RESIDENT')")
  FollowUps.Observation observation(@PathVariable UUID personId) {
    return followUps.observation(Actor.current(), personId);
  }

  @Operation(summary = "Enter today's temperature and symptoms for a family member under home observation")
  @PostMapping("/api/v1/resident/persons/{personId}/observation/diary")
  @PreAuthorize("hasRole('RESIDENT')")
  FollowUps.Observation residentDiary(@PathVariable UUID personId, @RequestBody DiaryEntry body) {
    return followUps.diaryByResident(Actor.current(), personId, body.temperature(), body.symptoms());
  }
}
