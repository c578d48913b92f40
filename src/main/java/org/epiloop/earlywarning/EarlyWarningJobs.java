package org.epiloop.earlywarning;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Evaluates the early-warning rules on a schedule; copies take turns through an advisory lock. */
@Component
class EarlyWarningJobs {

  private final EarlyWarnings warnings;

  EarlyWarningJobs(EarlyWarnings warnings) {
    this.warnings = warnings;
  }

  @Scheduled(fixedDelayString = "${epiloop.early-warning.scan:1m}", initialDelayString = "PT1M")
  void evaluate() {
    warnings.evaluate();
  }
}
