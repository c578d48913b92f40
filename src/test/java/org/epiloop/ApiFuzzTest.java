package org.epiloop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.epiloop.support.Api;
import org.epiloop.support.Flows;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Plates;
import org.epiloop.support.RawHttp;
import org.epiloop.support.Residents;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 13 (never a 500 on bad input): reads the OpenAPI document at run time and sends every
 * operation in it (so an operation added later is covered without touching this test) malformed
 * requests over real HTTP, with raw bytes a normal client would refuse to send: each role's token
 * and none; wrong JSON types, NUL and control characters, broken Unicode, 1 MB strings and nulls
 * in every declared property (nested ones too); no body, invalid JSON and wrong content types;
 * blank, {@code ..}, encoded and malformed path segments and UUIDs; bad percent-escapes and
 * control characters in the query; non-ASCII and malformed headers. It fails listing every
 * request answered with a 5xx, with an error on {@code /api/**} that is not problem JSON, or with
 * anything that looks like a stack trace.
 *
 * <p>The requests run on a few threads and their number is bounded (a few thousand), so the test
 * takes seconds. Valid values for the parameters it does not mutate come from a small dictionary
 * of property names (codes of a district, site, lab, tube, box, venue, run and case made here), so
 * that a mutated value reaches the service and the database, not only the first check.
 */
class ApiFuzzTest extends IntegrationTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern STACK_TRACE = Pattern.compile(
      "\\.java:\\d+\\)|\\n\\s*at [\\w$.]+\\(|\\b(java|jakarta|org|tools|com)\\.[\\w.$]*(Exception|Error)\\b");
  private static final int THREADS = 4;
  private static final String HOLE = "@@FUZZ@@";
  private static final String ONE_MB = "x".repeat(1 << 20);

  /** Raw JSON put in place of one property at a time. */
  private static final List<String> PROPERTY_VALUES = List.of("null", "true", "12345", "-1", "1.5", "1e309",
      "9223372036854775808", "\"\"", "{}", "[]", "[null]", "\"a\\u0000b\"", "\"\\u0001\\u001b[2J\"", "\"a\\nb\"",
      "\"\\ud800\"", "\"\\u0085\"", "\"中文✓😀' OR '1'='1\"", "\"" + "x".repeat(300) + "\"");
  /** Raw (unescaped) text put in place of one path variable at a time. */
  private static final List<String> PATH_VALUES = List.of("%00", "%01", "%20", "", "..", "%2e%2e", ".", "%2F", "%5C", ";x",
      "%zz", "中文", "%C0%AF", "not-a-uuid", "00000000-0000-0000-0000-000000000000", "x".repeat(5000));
  /** Raw text put in place of one query parameter at a time. */
  private static final List<String> QUERY_VALUES = List.of("abc", "", "%zz", "%00", "%01", "%C0%AF", "x".repeat(5000), "-1",
      "99999999999999999999", "1e309", "NaN", "中文");
  /** Raw query strings sent to every operation (64 KB is far past the request line's limit). */
  private static final List<String> QUERIES = List.of("%zz=1", "a=%00", "%C0%AF=1", "=&=&&", "a=" + "x".repeat(1 << 16));

  /** Role name → bearer token, in the order roles are tried (least powerful first). */
  private final Map<String, String> tokens = new LinkedHashMap<>();

  record Op(String method, String path, List<Param> params, JsonNode bodySchema, List<String> contentTypes) {
    @Override
    public String toString() {
      return method + " " + path;
    }
  }

  record Param(String in, String name, String type, String format) {}

  record Case(Op op, String role, String label, String method, String target, List<Map.Entry<String, String>> headers,
      byte[] body) {}

  record Outcome(Case request, int status, String problem, long nanos) {}

  private static final String LOGOUT = "/api/v1/auth/logout";

  @Test
  void noOperationAnswers5xxToMalformedInput() throws Exception {
    JsonNode doc = api().get("/v3/api-docs").json();
    Map<String, Supplier<Object>> known = fixture();
    List<Op> ops = operations(doc);
    assertThat(ops).as("operations in /v3/api-docs").hasSizeGreaterThan(70);
    long started = System.nanoTime();

    // 1: every role's token, and none, on every operation; learns which role gets past authorisation
    List<Case> probes = new ArrayList<>();
    for (Op op : ops) {
      // logging out ends the token it presents, and the rest of the run needs every role's token:
      // that operation gets no role's token (the logout tests in StaffAuthApiTest cover it)
      for (String role : op.path.equals(LOGOUT) ? List.<String>of() : tokens.keySet()) {
        probes.add(request(op, role, "as " + role, base(op, known), query(op, known, null, null),
            op.bodySchema == null ? null : "{}", "application/json", List.of()));
      }
      probes.add(request(op, null, "no token", base(op, known), query(op, known, null, null),
          op.bodySchema == null ? null : "{}", "application/json", List.of()));
    }
    List<Outcome> outcomes = new ArrayList<>(run(probes));
    Map<Op, String> caller = new LinkedHashMap<>();
    for (Outcome o : outcomes) {
      if (o.status != 401 && o.status != 403) {
        caller.putIfAbsent(o.request.op, o.request.role);
      }
    }

    // 2: malformed requests as a role that may call the operation
    List<Case> cases = new ArrayList<>();
    for (Op op : ops) {
      cases.addAll(malformed(op, caller.getOrDefault(op, "ADMIN"), known));
    }
    outcomes.addAll(run(cases));
    long millis = (System.nanoTime() - started) / 1_000_000;

    List<Outcome> failed = outcomes.stream().filter(o -> o.problem != null).toList();
    Map<Integer, Integer> statuses = new TreeMap<>();
    outcomes.forEach(o -> statuses.merge(o.status, 1, Integer::sum));
    System.out.printf("ApiFuzzTest: %d operations, %d requests in %d ms, statuses %s, %d failed%n", ops.size(),
        outcomes.size(), millis, statuses, failed.size());
    Map<String, Long> slowest = new TreeMap<>();
    outcomes.forEach(o -> slowest.merge(o.request.op.toString(), o.nanos / 1_000_000, Long::sum));
    slowest.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
        .forEach(e -> System.out.printf("ApiFuzzTest: %6d ms in requests to %s%n", e.getValue(), e.getKey()));
    assertThat(failed.stream().map(ApiFuzzTest::describe).limit(200).toList())
        .as("requests answered with a 5xx, a non-problem error or a stack trace (%d of %d)", failed.size(), outcomes.size())
        .isEmpty();
  }

  // ---- fixture ------------------------------------------------------------------------------

  /** Valid values by parameter or property name, made once: codes of things that exist. */
  private Map<String, Supplier<Object>> fixture() {
    Corner c = corner();
    Api admin = admin();
    tokens.put("RESIDENT", residentToken(admin));
    for (String role : List.of("COLLECTOR", "COURIER", "LAB_TECH", "LAB_REVIEWER", "VENUE_MANAGER", "OFFICIAL", "PARTNER")) {
      String name = unique("fz-" + role.toLowerCase(Locale.ROOT).replace('_', '-')).toLowerCase(Locale.ROOT);
      ok(admin.post("/api/v1/admin/users", Api.obj("username", name, "password", PASSWORD, "role", role,
          "siteCode", role.equals("COLLECTOR") ? c.site() : null, "labCode", role.startsWith("LAB_") ? c.lab() : null)), 201);
      tokens.put(role, token(name, PASSWORD));
    }
    // an administrator of its own: the run must not end the shared admin's session
    String adminName = unique("fz-admin").toLowerCase(Locale.ROOT);
    String totpUri = ok(admin.post("/api/v1/admin/users", Api.obj("username", adminName, "password", PASSWORD, "role", "ADMIN")), 201)
        .str("totpUri");
    tokens.put("ADMIN", token(adminName, PASSWORD, totpSecret(totpUri)));
    Api resident = api().as(tokens.get("RESIDENT"));
    String idNumber = Ids.next();
    String personId = Residents.addNewPerson(resident, admin, idNumber, "模糊", c.district());
    Api collector = api().as(tokens.get("COLLECTOR"));
    String tube = unique("T");
    ok(collector.post("/api/v1/tubes", Api.obj("tubeCode", tube, "capacity", 5)), 201);
    String box = unique("B");
    ok(collector.post("/api/v1/boxes", Api.obj("boxCode", box)), 201);
    Api.Res venue = ok(api().as(tokens.get("VENUE_MANAGER")).post("/api/v1/venues", Api.obj("name", "模糊商店",
        "districtCode", c.district(), "kind", "MARKET", "latitude", 33.96, "longitude", 118.27)), 201);
    // a run loaded on a plate (its results not yet entered) and a confirmed case, so that the
    // operations on them get past "not found"
    Api tech = api().as(tokens.get("LAB_TECH"));
    String sampled = Flows.fillTube(collector, unique("T"), 2).tubeCode();
    String shipped = unique("B");
    Flows.ship(collector, api().as(tokens.get("COURIER")), shipped, c.lab(), List.of(sampled));
    Flows.receive(tech, c.lab(), shipped, List.of(sampled));
    String runId = ok(tech.post("/api/v1/labs/" + c.lab() + "/runs", Map.of("plateCode", unique("P"),
        "wells", Plates.wellsJson(Plates.layout(List.of(sampled))))), 201).str("runId");
    String caseId = ok(api().as(tokens.get("OFFICIAL")).post("/api/v1/cases", Api.obj("idType", "CN_ID", "idNumber", idNumber,
        "confirmedAt", clock.instant().toString())), 201).str("caseId");

    Map<String, Supplier<Object>> known = new LinkedHashMap<>();
    known.put("districtCode", c::district);
    known.put("siteCode", c::site);
    known.put("labCode", c::lab);
    known.put("tubeCode", () -> tube);
    known.put("boxCode", () -> box);
    known.put("venueCode", () -> venue.str("venueCode"));
    known.put("venueToken", () -> venue.str("venueToken"));
    known.put("personId", () -> personId);
    known.put("runId", () -> runId);
    known.put("caseId", () -> caseId);
    known.put("idType", () -> "CN_ID");
    known.put("idNumber", Ids::next);
    known.put("phone", Ids::phone);
    known.put("name", () -> "模糊测试");
    known.put("code", () -> unique("FZ"));
    known.put("username", () -> unique("fz").toLowerCase(Locale.ROOT));
    known.put("password", () -> "fuzz-password-123");
    known.put("role", () -> "COLLECTOR");
    known.put("kind", () -> "MARKET");
    known.put("color", () -> "YELLOW");
    known.put("reason", () -> "fuzz");
    known.put("query:patient.identifier", () -> "urn:epiloop:id:CN_ID|" + Ids.next());
    known.put("hours", () -> 1);
    known.put("capacity", () -> 5);
    known.put("dailyCapacity", () -> 100);
    known.put("latitude", () -> 33.96);
    known.put("longitude", () -> 118.27);
    known.put("limit", () -> 10);
    known.put("day", () -> clock.instant().toString().substring(0, 10));
    known.put("confirmedAt", () -> clock.instant().toString());
    known.put("well", () -> "A1");
    known.put("value", () -> "1");
    known.put("confirmRepeat", () -> false);
    // the rule of PUT /health-codes/rules/{name}: a real one would change other tests' settings
    known.put("path:name", () -> "no-such-rule");
    // a binding by document, not by appointment code, so that the document's fields are reached
    known.put("appointmentCode", () -> null);
    return known;
  }

  private String residentToken(Api admin) {
    return Residents.login(api(), admin, Ids.phone()).token();
  }

  // ---- the OpenAPI document -------------------------------------------------------------------

  private static List<Op> operations(JsonNode doc) {
    List<Op> ops = new ArrayList<>();
    for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
        JsonNode o = method.getValue();
        List<Param> params = new ArrayList<>();
        for (JsonNode p : o.path("parameters")) {
          params.add(new Param(p.path("in").asString(), p.path("name").asString(),
              p.path("schema").path("type").asString(), p.path("schema").path("format").asString()));
        }
        JsonNode content = o.path("requestBody").path("content");
        List<String> types = new ArrayList<>(content.propertyNames());
        JsonNode schema = content.path("application/json").path("schema");
        ops.add(new Op(method.getKey().toUpperCase(Locale.ROOT), path.getKey(), params,
            schema.isMissingNode() ? null : resolve(doc, schema), types));
      }
    }
    return ops;
  }

  /** The schema with every {@code $ref} replaced by what it names (the request schemas are not recursive). */
  private static JsonNode resolve(JsonNode doc, JsonNode schema) {
    if (schema.has("$ref")) {
      String name = schema.path("$ref").asString().substring("#/components/schemas/".length());
      return resolve(doc, doc.path("components").path("schemas").path(name));
    }
    if (!schema.isObject()) {
      return schema;
    }
    ObjectNode copy = ((ObjectNode) schema).deepCopy();
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      ((ObjectNode) copy.path("properties")).set(p.getKey(), resolve(doc, p.getValue()));
    }
    if (schema.has("items")) {
      copy.set("items", resolve(doc, schema.path("items")));
    }
    return copy;
  }

  // ---- generating requests --------------------------------------------------------------------

  /** The path with every variable filled with a valid value. */
  private static String base(Op op, Map<String, Supplier<Object>> known) {
    return path(op, known, null, null);
  }

  private static String path(Op op, Map<String, Supplier<Object>> known, String variable, String raw) {
    String path = op.path;
    for (Param p : op.params) {
      if (p.in.equals("path")) {
        String value = p.name.equals(variable) ? raw : String.valueOf(valid(known, "path:" + p.name, p.name, p.type, p.format));
        path = path.replace("{" + p.name + "}", p.name.equals(variable) ? value : encode(value));
      }
    }
    return path;
  }

  /** The query with every declared parameter valid, except {@code parameter}, which gets {@code raw}. */
  private static String query(Op op, Map<String, Supplier<Object>> known, String parameter, String raw) {
    StringBuilder q = new StringBuilder();
    for (Param p : op.params) {
      if (p.in.equals("query")) {
        String value = p.name.equals(parameter) ? raw : encode(String.valueOf(valid(known, "query:" + p.name, p.name, p.type, p.format)));
        q.append(q.isEmpty() ? "" : "&").append(p.name).append('=').append(value);
      }
    }
    return q.toString();
  }

  private static Object valid(Map<String, Supplier<Object>> known, String qualified, String name, String type, String format) {
    Supplier<Object> s = known.containsKey(qualified) ? known.get(qualified) : known.get(name);
    if (s != null) {
      return s.get();
    }
    return switch (type == null ? "" : type) {
      case "integer" -> 1;
      case "number" -> 1.0;
      case "boolean" -> false;
      default -> "uuid".equals(format) ? UUID.randomUUID().toString() : unique("FZ");
    };
  }

  /** A valid-looking body for a schema: known values by property name, else one of the type. */
  private static JsonNode body(JsonNode schema, Map<String, Supplier<Object>> known) {
    String type = schema.path("type").asString();
    if (schema.has("properties") || type.equals("object")) {
      ObjectNode o = JSON.createObjectNode();
      for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
        JsonNode value = property(p.getKey(), p.getValue(), known);
        if (value != null) {
          o.set(p.getKey(), value);
        }
      }
      return o;
    }
    if (type.equals("array")) {
      ArrayNode a = JSON.createArrayNode();
      a.add(body(schema.path("items"), known));
      return a;
    }
    return JSON.valueToTree(valid(known, "", "", type, schema.path("format").asString()));
  }

  private static JsonNode property(String name, JsonNode schema, Map<String, Supplier<Object>> known) {
    if (known.containsKey(name)) {
      Object v = known.get(name).get();
      return v == null ? null : JSON.valueToTree(v);
    }
    return body(schema, known);
  }

  /** JSON pointers of every property, nested objects and first array items included (depth 3). */
  private static List<String> pointers(JsonNode node, String prefix, int depth) {
    List<String> out = new ArrayList<>();
    if (depth == 0) {
      return out;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> p : node.properties()) {
        out.add(prefix + "/" + p.getKey());
        out.addAll(pointers(p.getValue(), prefix + "/" + p.getKey(), depth - 1));
      }
    } else if (node.isArray() && !node.isEmpty()) {
      out.add(prefix + "/0");
      out.addAll(pointers(node.get(0), prefix + "/0", depth - 1));
    }
    return out;
  }

  /** The body with the value at {@code pointer} (added when absent) replaced by raw JSON. */
  private static String with(JsonNode body, String pointer, String raw) {
    JsonNode copy = body.deepCopy();
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = copy.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ObjectNode o) {
      o.put(last, HOLE);
    } else if (parent instanceof ArrayNode a) {
      a.set(Integer.parseInt(last), JSON.getNodeFactory().stringNode(HOLE));
    }
    return JSON.writeValueAsString(copy).replace("\"" + HOLE + "\"", raw);
  }

  private List<Case> malformed(Op op, String role, Map<String, Supplier<Object>> known) {
    List<Case> cases = new ArrayList<>();
    String path = base(op, known);
    String query = query(op, known, null, null);
    JsonNode body = op.bodySchema == null ? null : body(op.bodySchema, known);
    String valid = body == null ? null : JSON.writeValueAsString(body);
    List<Map.Entry<String, String>> none = List.of();

    // path variables
    for (Param p : op.params) {
      if (p.in.equals("path")) {
        for (String raw : PATH_VALUES) {
          cases.add(request(op, role, "path " + p.name + "=" + abbreviate(raw), path(op, known, p.name, raw), query, valid,
              "application/json", none));
        }
      }
    }
    // query parameters, declared and not
    for (Param p : op.params) {
      if (p.in.equals("query")) {
        for (String raw : QUERY_VALUES) {
          cases.add(request(op, role, "query " + p.name + "=" + abbreviate(raw), path, query(op, known, p.name, raw), valid,
              "application/json", none));
        }
        cases.add(request(op, role, "query " + p.name + " twice", path, query + "&" + query, valid, "application/json", none));
      }
    }
    for (String raw : QUERIES) {
      cases.add(request(op, role, "query " + abbreviate(raw), path, query.isEmpty() ? raw : query + "&" + raw, valid,
          "application/json", none));
    }
    // headers
    boolean keyed = op.params.stream().anyMatch(p -> p.in.equals("header") && p.name.equals("Idempotency-Key"));
    for (String key : keyed ? List.of("ключ", "", "not-a-uuid", "中文", "x".repeat(1000), "a\u0001b")
        : op.method.equals("POST") ? List.of("ключ") : List.<String>of()) {
      cases.add(request(op, role, "Idempotency-Key " + abbreviate(key), path, query, valid, "application/json",
          List.of(Map.entry("Idempotency-Key", key))));
    }
    for (String auth : List.of("Bearer", "Bearer x.y.z", "Bearer " + "a".repeat(5000), "Basic Zm9vOmJhcg==", "Bearer ключ",
        "Bearer " + tokens.get("ADMIN") + "x")) {
      cases.add(request(op, null, "Authorization " + abbreviate(auth), path, query, valid, "application/json",
          List.of(Map.entry("Authorization", auth))));
    }
    cases.add(request(op, role, "Accept: application/xml", path, query, valid, "application/json",
        List.of(Map.entry("Accept", "application/xml"))));
    for (String method : List.of("PATCH", "TRACE")) {
      Case other = request(op, role, "method " + method, path, query, null, null, none);
      cases.add(new Case(op, role, other.label, method, other.target, other.headers, null));
    }

    // text bodies (an instrument's CSV export) where the operation takes them
    for (String type : op.contentTypes) {
      if (type.startsWith("text/")) {
        for (String text : List.of("", "\u0000", "Well,Target,Ct\nA1,N,\u0000\n", "Well,Target\u0001,Ct\nA1\u001b,N,30\n",
            "Well,Target,Ct\n" + "A1,N,30\n".repeat(1 << 17))) {
          cases.add(request(op, role, type + " " + abbreviate(text), path, query, text, type, none));
        }
      }
    }
    if (body == null) {
      // an operation without a body, sent one anyway
      cases.add(request(op, role, "unexpected body", path, query, "{\"a\":\"\\u0000\"}", "application/json", none));
      return cases;
    }
    // the body as a whole
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("empty", "");
    bodies.put("unclosed", "{");
    bodies.put("trailing", valid + "}");
    bodies.put("array", "[]");
    bodies.put("string", "\"x\"");
    bodies.put("null", "null");
    bodies.put("huge number", "1e309");
    bodies.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
    bodies.put("NUL in a key", "{\"a\\u0000\":1}");
    for (Map.Entry<String, String> b : bodies.entrySet()) {
      cases.add(request(op, role, "body " + b.getKey(), path, query, b.getValue(), "application/json", none));
    }
    cases.add(request(op, role, "no body", path, query, null, "application/json", none));
    cases.add(request(op, role, "no content type", path, query, valid, null, none));
    for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application/json; charset=ISO-8859-1", "text/csv")) {
      String sent = type.startsWith("application/x-www") ? "a=%zz&b=%00" : type.startsWith("text/csv") ? "well,ORF1ab\nA1,\u0000" : valid;
      cases.add(request(op, role, "Content-Type " + type, path, query, sent, type, none));
    }
    Case invalidUtf8 = request(op, role, "body invalid UTF-8", path, query, null, "application/json", none);
    byte[] prefix = "{\"name\":\"".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[prefix.length + 4];
    System.arraycopy(prefix, 0, bytes, 0, prefix.length);
    bytes[prefix.length] = (byte) 0xC0;
    bytes[prefix.length + 1] = (byte) 0xAF;
    bytes[prefix.length + 2] = '"';
    bytes[prefix.length + 3] = '}';
    cases.add(new Case(op, role, invalidUtf8.label, invalidUtf8.method, invalidUtf8.target, invalidUtf8.headers, bytes));
    // every property, one at a time; 1 MB in the first one
    List<String> pointers = pointers(body, "", 3);
    for (String pointer : pointers) {
      for (String raw : PROPERTY_VALUES) {
        cases.add(request(op, role, pointer + "=" + abbreviate(raw), path, query, with(body, pointer, raw), "application/json",
            none));
      }
    }
    if (!pointers.isEmpty()) {
      cases.add(request(op, role, pointers.get(0) + "=1 MB", path, query, with(body, pointers.get(0), "\"" + ONE_MB + "\""),
          "application/json", none));
    }
    return cases;
  }

  private Case request(Op op, String role, String label, String path, String query, String body, String contentType,
      List<Map.Entry<String, String>> extra) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    String token = role == null ? null : tokens.get(role);
    boolean ownAuthorization = extra.stream().anyMatch(h -> h.getKey().equals("Authorization"));
    if (token != null && !ownAuthorization) {
      headers.add(Map.entry("Authorization", "Bearer " + token));
    }
    boolean sendsBody = body != null && !op.method.equals("GET") && !op.method.equals("DELETE");
    if (sendsBody && contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
    if (op.params.stream().anyMatch(p -> p.in.equals("header") && p.name.equals("Idempotency-Key"))
        && extra.stream().noneMatch(h -> h.getKey().equals("Idempotency-Key"))) {
      headers.add(Map.entry("Idempotency-Key", UUID.randomUUID().toString()));
    }
    headers.addAll(extra);
    String target = query.isEmpty() ? path : path + "?" + query;
    return new Case(op, role, label, op.method, target, headers, sendsBody ? body.getBytes(StandardCharsets.UTF_8) : null);
  }

  // ---- sending and judging ----------------------------------------------------------------------

  private List<Outcome> run(List<Case> cases) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (Case c : cases) {
        futures.add(pool.submit(() -> judge(c)));
      }
      List<Outcome> out = new ArrayList<>();
      for (Future<Outcome> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  private Outcome judge(Case c) {
    long started = System.nanoTime();
    RawHttp.Response r;
    try {
      r = RawHttp.send(port, c.method, c.target, c.headers, c.body);
    } catch (IOException e) {
      return new Outcome(c, 0, "no answer: " + e, System.nanoTime() - started);
    }
    return new Outcome(c, r.status(), problem(c, r), System.nanoTime() - started);
  }

  private static String problem(Case c, RawHttp.Response r) {
    String text = r.text();
    if (r.status() >= 500) {
      return "answered " + r.status() + " " + abbreviate(text);
    }
    if (STACK_TRACE.matcher(text).find()) {
      return "stack trace in the answer: " + abbreviate(text);
    }
    if (r.status() >= 400 && c.target.startsWith("/fhir/")) {
      // the FHIR endpoints answer OperationOutcome (ADR 0025); only what the container or the
      // security firewall refuses before any of Epiloop's code sees it (an unparseable URL or
      // header, TRACE) stays problem JSON
      String type = r.header("Content-Type");
      boolean outcome = type != null && type.startsWith("application/fhir+json") && text.contains("\"resourceType\":\"OperationOutcome\"");
      boolean container = type != null && type.startsWith("application/problem+json")
          && (text.contains("\"code\":\"REQUEST_REJECTED\"") || text.contains("\"code\":\"BAD_REQUEST\"")
              || (c.method.equals("TRACE") && r.status() == 405));
      if (!outcome && !container) {
        return "error is not an OperationOutcome (" + type + "): " + abbreviate(text);
      }
    }
    if (r.status() >= 400 && c.target.startsWith("/api/")) {
      String type = r.header("Content-Type");
      if (type == null || !type.startsWith("application/problem+json")) {
        return "error is not problem JSON (" + type + "): " + abbreviate(text);
      }
      JsonNode problem;
      try {
        problem = JSON.readTree(text);
      } catch (RuntimeException e) {
        return "problem is not JSON: " + abbreviate(text);
      }
      if (problem.path("status").asInt() != r.status() || !problem.path("code").isString()) {
        return "problem without matching status and code: " + abbreviate(text);
      }
    }
    return null;
  }

  private static String describe(Outcome o) {
    Case c = o.request;
    return c.method + " " + abbreviate(c.target) + " [" + c.label + (c.role == null ? "" : ", as " + c.role) + "] → " + o.problem;
  }

  private static String encode(String value) {
    return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String abbreviate(String s) {
    String flat = s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
    return flat.length() <= 120 ? flat : flat.substring(0, 100) + "…(" + flat.length() + " chars)";
  }
}
