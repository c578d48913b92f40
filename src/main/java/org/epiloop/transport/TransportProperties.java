package org.epiloop.transport;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Transport settings.
 *
 * @param overdueAfter a box whose first sample is older than this and that no lab has
 *     received is overdue (the seed's rule: samples reach the lab within 3 hours)
 */
@Validated
@ConfigurationProperties("epiloop.transport")
record TransportProperties(@DefaultValue("3h") @NotNull Duration overdueAfter) {
  TransportProperties {
    if (overdueAfter.isNegative() || overdueAfter.isZero()) {
      throw new IllegalArgumentException("epiloop.transport.overdue-after must be positive, was " + overdueAfter);
    }
  }
}
