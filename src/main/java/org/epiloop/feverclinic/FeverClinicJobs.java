package org.epiloop.feverclinic;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Looks for visitors not tested in time; every copy runs it (the scan locks what it takes). */
@Component
class FeverClinicJobs {

  private final FeverVisits visits;

  FeverClinicJobs(FeverVisits visits) {
    this.visits = visits;
  }

  @Scheduled(fixedDelayString = "${epiloop.fever-clinic.untested-scan:1m}", initialDelayString = "PT1M")
  void untested() {
    visits.raiseUntested();
  }
}
