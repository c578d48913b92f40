package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/** RoleCheck reads the endpoints' role expressions once; anything it does not know goes to SpEL. */
class RoleCheckTest {

  @Test
  void readsTheThreeSimpleForms() {
    assertThat(RoleCheck.parse("hasRole('COLLECTOR')")).isEqualTo(new RoleCheck.Roles(Set.of("ROLE_COLLECTOR"), false));
    assertThat(RoleCheck.parse("hasAnyRole('LAB_TECH','LAB_REVIEWER', 'OFFICIAL')"))
        .isEqualTo(new RoleCheck.Roles(Set.of("ROLE_LAB_TECH", "ROLE_LAB_REVIEWER", "ROLE_OFFICIAL"), false));
    assertThat(RoleCheck.parse("!hasRole('RESIDENT')")).isEqualTo(new RoleCheck.Roles(Set.of("ROLE_RESIDENT"), true));
  }

  @Test
  void leavesEveryOtherExpressionToSpel() {
    for (String e : List.of("hasRole('A') and hasRole('B')", "hasRole('A','B')", "hasAuthority('ROLE_A')", "permitAll()",
        "hasRole(#role)", "hasRole('a')", "hasAnyRole()", "!hasAnyRole('A','B')", "hasRole('A') or true", "isAuthenticated()")) {
      RoleCheck.Roles r = RoleCheck.parse(e);
      assertThat(r.authorities()).as(e).isEmpty();
      assertThat(r.negate()).as(e).isFalse();
    }
  }

  @Test
  void allowsOnlyTheNamedRolesAndTheNegationRefusesThem() {
    RoleCheck.Roles labs = RoleCheck.parse("hasAnyRole('LAB_TECH','LAB_REVIEWER')");
    assertThat(labs.allows(new TestingAuthenticationToken("t", null, "ROLE_LAB_TECH"))).isTrue();
    assertThat(labs.allows(new TestingAuthenticationToken("c", null, "ROLE_COLLECTOR"))).isFalse();
    assertThat(labs.allows(new TestingAuthenticationToken("x", null, "LAB_TECH"))).as("an authority without the prefix").isFalse();
    assertThat(labs.allows(new AnonymousAuthenticationToken("k", "anonymous", AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"))))
        .isFalse();
    RoleCheck.Roles staff = RoleCheck.parse("!hasRole('RESIDENT')");
    assertThat(staff.allows(new TestingAuthenticationToken("r", null, "ROLE_RESIDENT"))).isFalse();
    assertThat(staff.allows(new TestingAuthenticationToken("o", null, "ROLE_OFFICIAL"))).isTrue();
  }

  @PreAuthorize("hasRole('OFFICIAL')")
  static class Annotated {
    @PreAuthorize("hasAnyRole('COLLECTOR','ADMIN')")
    void own() {}

    void inherited() {}
  }

  @Test
  void theMethodsAnnotationWinsOverItsClasss() throws Exception {
    assertThat(RoleCheck.roles(Annotated.class.getDeclaredMethod("own"), Annotated.class).authorities())
        .containsExactlyInAnyOrder("ROLE_COLLECTOR", "ROLE_ADMIN");
    assertThat(RoleCheck.roles(Annotated.class.getDeclaredMethod("inherited"), Annotated.class).authorities())
        .containsExactly("ROLE_OFFICIAL");
  }
}
