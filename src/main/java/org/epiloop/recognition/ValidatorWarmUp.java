package org.epiloop.recognition;

import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Loads HAPI's validator (the R4 definitions: seconds of CPU, tens of seconds on a loaded
 * machine) in the background once the application is up, so the first partner's bundle does not
 * wait for it past its client's timeout. A bundle that arrives earlier simply waits for the load.
 */
@Component
class ValidatorWarmUp {

  private static final Logger log = LoggerFactory.getLogger(ValidatorWarmUp.class);

  @EventListener(ApplicationReadyEvent.class)
  void warmUp() {
    Thread t = new Thread(() -> {
      long started = System.nanoTime();
      try {
        Fhir.Validator.get().validateWithResult(new Bundle().setType(Bundle.BundleType.COLLECTION));
        log.info("FHIR validator ready in {} ms", (System.nanoTime() - started) / 1_000_000);
      } catch (RuntimeException e) {
        log.warn("FHIR validator could not be loaded ahead: {}", e.toString());
      }
    }, "fhir-validator-warm-up");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }
}
