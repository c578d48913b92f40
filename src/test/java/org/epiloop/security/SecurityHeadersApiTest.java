package org.epiloop.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;

/** Referrer-Policy and Permissions-Policy on every response: pages, API answers, errors. */
class SecurityHeadersApiTest extends IntegrationTest {

  @Test
  void everyResponseCarriesReferrerAndPermissionsPolicies() {
    List<Api.Res> responses = List.of(api().get("/"), api().get("/station"), api().get("/js/camera.js"),
        api().get("/api/v1/sites/nearby?latitude=33.96&longitude=118.27"), api().get("/api/v1/tubes"),
        admin().get("/api/v1/no-such-endpoint"), api().post("/api/v1/auth/token", Api.obj("username", "nobody", "password", "x")));
    assertThat(responses).extracting(Api.Res::status).contains(200, 401, 404);
    assertThat(responses).allSatisfy(r -> {
      assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(r.header("Permissions-Policy")).contains("camera=(self)").contains("geolocation=(self)").contains("microphone=()")
          .contains("payment=()");
    });
  }
}
