package org.epiloop.platform;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Wiring shared by all modules: the clock every time rule is computed from, scheduling, and
 * asynchronous event listeners (Spring Modulith's {@code @ApplicationModuleListener}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EpiloopProperties.class)
@EnableScheduling
@EnableAsync
class PlatformConfiguration {

  /** The one clock of the application; tests replace it to move time. */
  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }
}
