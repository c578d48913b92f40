package org.epiloop;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/** The module structure of ARCHITECTURE.md holds: no cycles, no reaching into internals. */
class ModularityTests {

  // production code only: tests may reach across modules to set up their scenarios
  static final ApplicationModules MODULES = ApplicationModules.of(EpiloopApplication.class,
      DescribedPredicate.describe("test classes", (JavaClass c) ->
          c.getSource().map(s -> s.getUri().toString().contains("test-classes")).orElse(false)));

  @Test
  void modulesRespectTheirBoundaries() {
    MODULES.verify();
  }

  /**
   * Writes the diagrams and canvases into the build directory; the snapshot in docs/modules is
   * refreshed on purpose with {@code -Depiloop.docs.dir=docs/modules} (Modulith's ordering is
   * not stable, so writing the tracked copy on every run would leave every tree dirty).
   */
  @Test
  void writesModuleDiagrams() {
    new Documenter(MODULES, Documenter.Options.defaults().withOutputFolder(System.getProperty("epiloop.docs.dir", "target/spring-modulith-docs")))
        .writeModulesAsPlantUml()
        .writeIndividualModulesAsPlantUml()
        .writeModuleCanvases();
  }
}
