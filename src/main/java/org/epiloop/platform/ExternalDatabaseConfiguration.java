package org.epiloop.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The pool of an external PostgreSQL ({@code spring.datasource.url} set), as Spring Boot
 * would make it from {@code spring.datasource.*} and {@code spring.datasource.hikari.*}, but
 * failing fast while the database is known to be down (ADR 0015).
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalDatabaseConfiguration.ExternalDatabase.class)
class ExternalDatabaseConfiguration {

  @Bean
  @ConfigurationProperties("spring.datasource.hikari")
  FailFastDataSource dataSource(DataSourceProperties properties, DatabaseAvailability availability) {
    FailFastDataSource ds = properties.initializeDataSourceBuilder().type(FailFastDataSource.class).build();
    ds.failFastWith(availability);
    return ds;
  }

  static class ExternalDatabase extends NoExternalDatabaseCondition {
    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return !super.matches(context, metadata);
    }
  }
}
