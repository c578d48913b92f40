package org.epiloop.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.epiloop.shared.ProblemCode;
import org.epiloop.support.Api;
import org.epiloop.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The API explains itself (issue 14 item 9): /v3/api-docs has a real title, the project's
 * version and a description; declares the bearer scheme and puts it on exactly the operations
 * that need a token — checked against the server itself, by calling each operation without one;
 * and its error responses carry the problem schema with every {@link ProblemCode}. The pages get
 * the same codes' words from /js/messages.js.
 */
class ApiDocumentationTest extends IntegrationTest {

  private static final Set<String> PUBLIC = Set.of("POST /api/v1/auth/token", "POST /api/v1/resident/otp",
      "POST /api/v1/resident/session", "POST /api/v1/results/query", "GET /api/v1/sites/nearby", "GET /api/v1/health-codes/keys",
      // the SMS provider's delivery receipts: no bearer token, each receipt signed instead
      "POST /api/v1/sms/receipts",
      // sensor gateways' readings: no bearer token, a gateway key (X-Gateway-Key) instead
      "POST /api/v1/environment/readings",

      // result certificates are checked by anyone (ADR 0025)
      "POST /api/v1/certificates/verify", "GET /api/v1/certificates/keys");

  private JsonNode docs() {
    return ok(api().get("/v3/api-docs"), 200).json();
  }

  @Test
  void theDocumentHasATitleTheProjectVersionAndADescription() throws IOException {
    JsonNode info = docs().path("info");
    assertThat(info.path("title").asString()).isEqualTo("Epiloop API");
    assertThat(info.path("version").asString()).isEqualTo(projectVersion());
    assertThat(info.path("description").asString()).contains("Authorization: Bearer").contains("problem JSON").contains("code");
  }

  @Test
  void theBearerSchemeIsOnEverySecuredOperationAndOnNoPublicOne() {
    JsonNode docs = docs();
    JsonNode scheme = docs.path("components").path("securitySchemes").path("bearer");
    assertThat(scheme.path("type").asString()).isEqualTo("http");
    assertThat(scheme.path("scheme").asString()).isEqualTo("bearer");
    assertThat(scheme.path("bearerFormat").asString()).isEqualTo("JWT");

    List<String> operations = new ArrayList<>();
    Set<String> documentedPublic = new TreeSet<>();
    docs.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      String name = op.getKey().toUpperCase() + " " + path.getKey();
      operations.add(name);
      JsonNode security = op.getValue().path("security");
      if (security.isMissingNode() || security.isEmpty()) {
        documentedPublic.add(name);
      } else {
        assertThat(security.get(0).has("bearer")).as(name).isTrue();
        assertThat(op.getValue().path("responses").has("403")).as(name + " documents 403").isTrue();
      }
      assertThat(op.getValue().path("responses").has("400")).as(name + " documents 400").isTrue();
      assertThat(op.getValue().path("responses").path("500").path("$ref").asString()).as(name)
          .isEqualTo("#/components/responses/Problem500");
    }));
    assertThat(operations).as("the API is documented").hasSizeGreaterThan(40);
    assertThat(documentedPublic).isEqualTo(new TreeSet<>(PUBLIC));

    // ... and that is what the server does: without a token, exactly the secured operations answer 401
    Api anonymous = api().anonymous();
    for (String op : operations) {
      String method = op.substring(0, op.indexOf(' '));
      String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[^}]*}", "00000000-0000-0000-0000-000000000000");
      Api.Res r = switch (method) {
        case "GET" -> anonymous.get(path);
        case "DELETE" -> anonymous.delete(path);
        case "PUT" -> anonymous.put(path, Map.of());
        default -> anonymous.post(path, Map.of());
      };
      if (PUBLIC.contains(op)) {
        assertThat(r.status()).as(op + " " + r).isNotEqualTo(401).isNotEqualTo(403);
      } else {
        assertThat(r.status()).as(op + " " + r).isEqualTo(401);
      }
    }
  }

  @Test
  void errorResponsesCarryTheProblemSchemaWithEveryCode() {
    JsonNode docs = docs();
    JsonNode problem = docs.path("components").path("schemas").path("Problem");
    List<String> codes = new ArrayList<>();
    problem.path("properties").path("code").path("enum").forEach(c -> codes.add(c.asString()));
    assertThat(codes).containsExactlyInAnyOrderElementsOf(Arrays.stream(ProblemCode.values()).map(Enum::name).toList());
    assertThat(problem.path("properties").has("field")).isTrue();

    JsonNode r400 = docs.path("components").path("responses").path("Problem400");
    assertThat(r400.path("content").path("application/problem+json").path("schema").path("$ref").asString())
        .isEqualTo("#/components/schemas/Problem");
    assertThat(r400.path("description").asString()).contains("`FIELD_REQUIRED`").contains("`INVALID_TUBE_CODE`")
        .doesNotContain("`TUBE_SEALED`");
    assertThat(docs.path("components").path("responses").path("Problem409").path("description").asString()).contains("`TUBE_SEALED`");
    assertThat(docs.path("components").path("responses").path("Problem401").path("description").asString())
        .contains("`BAD_CREDENTIALS`").contains("`INVALID_CODE`");

    JsonNode bind = docs.path("paths").path("/api/v1/tubes/{tubeCode}/bindings").path("post").path("responses");
    assertThat(bind.path("409").path("$ref").asString()).isEqualTo("#/components/responses/Problem409");
    assertThat(bind.path("401").path("$ref").asString()).isEqualTo("#/components/responses/Problem401");
  }

  @Test
  void thePagesGetEveryCodesWordsFromMessagesJs() {
    Api.Res r = ok(api().get("/js/messages.js"), 200);
    assertThat(r.contentType()).startsWith("text/javascript");
    assertThat(r.text()).startsWith("'use strict';").contains("window.EpiloopMessages = Object.freeze({");
    for (ProblemCode c : ProblemCode.values()) {
      assertThat(r.text()).as(c.name()).contains("\"" + c.name() + "\":[\"" + c.zh() + "\",");
    }
    assertThat(r.text()).contains("\"SAMPLED_IN_ROUND\":[\"12小时内已采样\",\"This person was sampled in the last 12 hours.");
  }

  /** The project's own version, from pom.xml (the one after the parent's). */
  private static String projectVersion() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("</parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
