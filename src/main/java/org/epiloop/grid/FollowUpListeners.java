package org.epiloop.grid;

import org.epiloop.monitoring.DeclarationMade;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Turns declarations into tasks, and escalates overdue tasks on a schedule. */
@Component
class FollowUpListeners {

  private final FollowUps followUps;

  FollowUpListeners(FollowUps followUps) {
    this.followUps = followUps;
  }

  @ApplicationModuleListener
  void on(DeclarationMade made) {
    followUps.open(made);
  }

  /** Every copy runs it; "for update skip locked" gives each overdue task to one of them. */
  @Scheduled(fixedDelayString = "${epiloop.grid.escalation-scan:1m}", initialDelayString = "PT1M")
  void escalate() {
    followUps.escalateOverdue();
  }

  /** Overdue recalls become tasks; the unique recall id keeps two copies from making one twice. */
  @Scheduled(fixedDelayString = "${epiloop.grid.escalation-scan:1m}", initialDelayString = "PT1M")
  void overdueRecalls() {
    followUps.openOverdueRecalls();
  }
}
