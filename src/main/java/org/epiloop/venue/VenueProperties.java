package org.epiloop.venue;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Contact-finding settings.
 *
 * @param contactWindow two check-ins at one venue at most this far apart (either way) make
 *     their persons contacts; between 1 minute and 1 day
 * @param lookback how far before a case's confirmation its check-ins count; longer than the
 *     contact window and at most 30 days
 */
@Validated
@ConfigurationProperties("epiloop.venue")
record VenueProperties(
    @DefaultValue("60m") @NotNull Duration contactWindow,
    @DefaultValue("4d") @NotNull Duration lookback) {

  VenueProperties {
    if (contactWindow == null) {
      throw new IllegalArgumentException("epiloop.venue.contact-window is required");
    }
    if (lookback == null) {
      throw new IllegalArgumentException("epiloop.venue.lookback is required");
    }
    if (contactWindow.compareTo(Duration.ofMinutes(1)) < 0 || contactWindow.compareTo(Duration.ofDays(1)) > 0) {
      throw new IllegalArgumentException(
          "epiloop.venue.contact-window must be between 1m and 1d, was " + contactWindow);
    }
    if (lookback.compareTo(contactWindow) <= 0 || lookback.compareTo(Duration.ofDays(30)) > 0) {
      throw new IllegalArgumentException("epiloop.venue.lookback must be longer than epiloop.venue.contact-window ("
          + contactWindow + ") and at most 30d, was " + lookback);
    }
  }
}
