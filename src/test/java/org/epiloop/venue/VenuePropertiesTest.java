package org.epiloop.venue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** Contact-finding settings default sensibly and fail the start with a precise message when wrong. */
class VenuePropertiesTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(VenueProperties.class)
  static class Config {}

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

  @Test
  void defaultsAreAnHourAndFourDays() {
    runner.run(ctx -> {
      assertThat(ctx).hasNotFailed();
      VenueProperties p = ctx.getBean(VenueProperties.class);
      assertThat(p.contactWindow()).isEqualTo(Duration.ofMinutes(60));
      assertThat(p.lookback()).isEqualTo(Duration.ofDays(4));
    });
    runner.withPropertyValues("epiloop.venue.contact-window=30m", "epiloop.venue.lookback=14d").run(ctx ->
        assertThat(ctx.getBean(VenueProperties.class).contactWindow()).isEqualTo(Duration.ofMinutes(30)));
  }

  @Test
  void wrongSettingsFailTheStartNamingTheSetting() {
    fails("epiloop.venue.contact-window=0s", "epiloop.venue.contact-window must be between 1m and 1d, was PT0S");
    fails("epiloop.venue.contact-window=-5m", "epiloop.venue.contact-window must be between 1m and 1d");
    fails("epiloop.venue.contact-window=2d", "epiloop.venue.contact-window must be between 1m and 1d");
    fails("epiloop.venue.lookback=30m", "epiloop.venue.lookback must be longer than epiloop.venue.contact-window");
    fails("epiloop.venue.lookback=60d", "at most 30d, was PT1440H");
  }

  private void fails(String setting, String message) {
    runner.withPropertyValues(setting).run(ctx -> {
      assertThat(ctx).as(setting).hasFailed();
      Throwable root = ctx.getStartupFailure();
      while (root.getCause() != null) {
        root = root.getCause();
      }
      assertThat(root).hasMessageContaining(message);
    });
  }
}
