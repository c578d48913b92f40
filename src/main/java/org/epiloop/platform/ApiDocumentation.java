package org.epiloop.platform;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.epiloop.shared.ProblemCode;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}) explains
 * itself: a title, the version built, what the API is for; the bearer scheme (so Swagger UI has an
 * Authorize button), required by every operation the security configuration does not leave
 * public; and the problem responses with every error {@code code} of {@link ProblemCode}.
 *
 * <p>Which operations are public is asked of the running security configuration (its privilege
 * evaluator, as for an anonymous caller), not listed a second time here, so the document cannot
 * drift from what the server enforces.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  static final String BEARER = "bearer";
  static final String PROBLEM = "Problem";
  private static final String PROBLEM_JSON = "application/problem+json";

  private static final String DESCRIPTION = """
      Epiloop runs a city's mass PCR testing day: residents register and get an appointment code; \
      collectors bind people to pooled tubes at sampling sites and seal them; couriers carry sealed \
      boxes to labs; labs receive, plate, upload instrument results, and a second person releases them; \
      residents read their results; health codes (green, yellow, red) follow from results, cases and \
      contacts, and venues check them at the door, online or offline from their signature.

      Staff log in with `POST /api/v1/auth/token` (username and password), residents with a text-message \
      code (`POST /api/v1/resident/otp`, then `POST /api/v1/resident/session`); either answer has an \
      `accessToken` to send as `Authorization: Bearer <token>` (the Authorize button). Each operation \
      names the roles it admits.

      Every failure is problem JSON (RFC 9457, `application/problem+json`) with a stable upper-case \
      `code` to act on and, for bad input, the `field` at fault; the `Problem` schema lists every code, \
      and each error response names the codes that come with its status. The pages turn a code into \
      plain words with the same table (`/js/messages.js`).""";

  @Bean
  OpenAPI epiloopOpenApi(ObjectProvider<BuildProperties> build) {
    BuildProperties b = build.getIfAvailable();
    String version = b != null ? b.getVersion() : "development";
    return new OpenAPI()
        .info(new Info().title("Epiloop API").version(version).description(DESCRIPTION))
        .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP)
            .scheme("bearer").bearerFormat("JWT")
            .description("The accessToken from POST /api/v1/auth/token (staff) or POST /api/v1/resident/session (residents)")));
  }

  @Bean
  OpenApiCustomizer securityAndProblems(WebInvocationPrivilegeEvaluator privileges) {
    return api -> {
      Components components = api.getComponents() == null ? new Components() : api.getComponents();
      api.setComponents(components);
      components.addSchemas(PROBLEM, problemSchema());
      Map<Integer, List<ProblemCode>> byStatus = byStatus();
      byStatus.forEach((status, codes) -> components.addResponses(responseName(status), problemResponse(status, codes)));
      Authentication anonymous = new AnonymousAuthenticationToken("api-docs", "anonymousUser",
          AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));
      if (api.getPaths() == null) {
        return;
      }
      api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
        String uri = path.replaceAll("\\{[^}]*}", "x");
        boolean secured = !privileges.isAllowed("", uri, method.name(), anonymous);
        document(operation, secured, byStatus.keySet());
      }));
    };
  }

  /** The bearer requirement on a secured operation, and the problem responses it may give. */
  private static void document(Operation operation, boolean secured, Iterable<Integer> statuses) {
    ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    operation.setResponses(responses);
    if (secured) {
      operation.addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
    for (int status : statuses) {
      // a public operation is never refused for its role; its 401 is a wrong password or one-time code
      if (!secured && status == HttpStatus.FORBIDDEN.value()) {
        continue;
      }
      responses.addApiResponse(String.valueOf(status), new ApiResponse().$ref("#/components/responses/" + responseName(status)));
    }
  }

  private static Map<Integer, List<ProblemCode>> byStatus() {
    Map<Integer, List<ProblemCode>> out = new TreeMap<>();
    for (ProblemCode c : ProblemCode.values()) {
      for (HttpStatus s : c.statuses()) {
        out.computeIfAbsent(s.value(), k -> new java.util.ArrayList<>()).add(c);
      }
    }
    return out;
  }

  private static String responseName(int status) {
    return "Problem" + status;
  }

  private static ApiResponse problemResponse(int status, List<ProblemCode> codes) {
    String list = codes.stream().map(c -> "- `" + c.name() + "` — " + c.en()).collect(Collectors.joining("\n"));
    return new ApiResponse()
        .description(HttpStatus.valueOf(status).getReasonPhrase() + ": problem JSON with one of these codes:\n\n" + list)
        .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema<?> problemSchema() {
    StringSchema code = new StringSchema();
    code.setEnum(Arrays.stream(ProblemCode.values()).map(Enum::name).toList());
    code.description("The stable error code to act on; ProblemCode lists each with plain words (/js/messages.js)");
    Schema error = new ObjectSchema().addProperty("field", new StringSchema()).addProperty("message", new StringSchema());
    return new ObjectSchema()
        .description("RFC 9457 problem details with Epiloop's stable code and, for bad input, the field at fault")
        .addProperty("type", new StringSchema().format("uri").example("https://epiloop.org/problems/field-required"))
        .addProperty("title", new StringSchema().example("Bad Request"))
        .addProperty("status", new IntegerSchema().example(400))
        .addProperty("detail", new StringSchema().example("tubeCode is required"))
        .addProperty("instance", new StringSchema().format("uri"))
        .addProperty("code", code)
        .addProperty("field", new StringSchema().description("The request field, parameter or header at fault").example("tubeCode"))
        .addProperty("errors", new ArraySchema().items(error).description("Every invalid field (VALIDATION_FAILED only)"))
        .required(List.of("type", "title", "status", "code"));
  }
}
