package org.epiloop.feverclinic;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Fever clinics (M3).
 *
 * @param untestedAfter a visitor without a test this long after the visit raises an alert
 * @param exposureWindow how far back before a visit an arrival or a case contact counts
 * @param untestedScan how often untested visitors are looked for
 */
@Validated
@ConfigurationProperties("epiloop.fever-clinic")
record FeverClinicProperties(@DefaultValue("4h") @NotNull Duration untestedAfter, @DefaultValue("14d") @NotNull Duration exposureWindow,
    @DefaultValue("1m") @NotNull Duration untestedScan) {
  FeverClinicProperties {
    for (var e : java.util.Map.of("untested-after", untestedAfter, "exposure-window", exposureWindow, "untested-scan", untestedScan)
        .entrySet()) {
      if (e.getValue().isNegative() || e.getValue().isZero()) {
        throw new IllegalArgumentException("epiloop.fever-clinic." + e.getKey() + " must be positive, was " + e.getValue());
      }
    }
  }
}
