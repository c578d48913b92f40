package org.epiloop.supplies;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the supplies module.
 *
 * @param settleEvery how often the settlement job counts new use (each copy runs it; one settles at a time)
 * @param lookback how far back a settlement looks for tubes and runs: it must outlast any
 *     stop of every copy, or use in between is not counted (docs/adr/0033)
 * @param rateWindow the use over this window, per hour, is "the current rate" of the forecast
 * @param personsPerPpeSet persons sampled per PPE set in the forecast (one set per collector-shift)
 */
@Validated
@ConfigurationProperties("epiloop.supplies")
public record SuppliesProperties(
    @DefaultValue("2m") @NotNull Duration settleEvery,
    @DefaultValue("2d") @NotNull Duration lookback,
    @DefaultValue("6h") @NotNull Duration rateWindow,
    @DefaultValue("200") int personsPerPpeSet) {

  public SuppliesProperties {
    if (settleEvery.isNegative() || settleEvery.isZero()) {
      throw new IllegalArgumentException("epiloop.supplies.settle-every must be positive");
    }
    if (lookback.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("epiloop.supplies.lookback must be at least 1h (it must outlast a stop), was " + lookback);
    }
    if (rateWindow.compareTo(Duration.ofHours(1)) < 0) {
      throw new IllegalArgumentException("epiloop.supplies.rate-window must be at least 1h, was " + rateWindow);
    }
    if (personsPerPpeSet < 1) {
      throw new IllegalArgumentException("epiloop.supplies.persons-per-ppe-set must be at least 1, was " + personsPerPpeSet);
    }
  }
}
