package org.epiloop.simulator.ceiling;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.epiloop.simulator.ServerOptions;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.bench.ProcStats;
import org.epiloop.simulator.ceiling.CeilingReport.Scenario;
import org.epiloop.simulator.ceiling.CeilingReport.Window;
import org.epiloop.simulator.lab.Codes;
import org.epiloop.simulator.lab.CommandSupport;
import org.epiloop.simulator.lab.Fixture;
import org.epiloop.simulator.lab.Log;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ceiling}: Epiloop's request rates as ratios to a bare Spring Boot application's
 * {@code GET /ping}, measured in the same run with the same client and the same number of
 * connections. Rounds interleave the bare application and Epiloop, and the table gives medians over
 * the rounds (see {@link CeilingReport}).
 */
@Command(name = "ceiling", mixinStandardHelpOptions = true,
    description = "Bare Spring Boot /ping and static file vs Epiloop's bindings, receipt scans, code reads, verifications, "
        + "a 401 and a static file: same client, same connections, interleaved rounds, medians and ratios.")
public final class CeilingCommand implements Callable<Integer> {

  private static final Pattern LOGIN_CODE = Pattern.compile("login code: (\\d{6})");
  private static final Pattern LINK_CODE = Pattern.compile("code:? (\\d{6})");

  @CommandLine.Mixin
  ServerOptions server;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--bare-url", description = "A bare application already running (GET /ping, /css/epiloop.css); default: start --bare-jar")
  String bareUrl;

  @Option(names = "--bare-pid", description = "Pid of the bare application given by --bare-url, for its CPU per request")
  Long barePidOption;

  @Option(names = "--bare-jar", description = "The bare application's jar (default: bare-app/target/epiloop-bare.jar next to the simulator)")
  Path bareJar;

  @Option(names = "--bare-java-opts", defaultValue = "", description = "JVM options for the started bare application (space separated)")
  String bareJavaOpts;

  @Option(names = "--clients", defaultValue = "64", description = "Connections and worker threads, the same for every scenario (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--rounds", defaultValue = "3", description = "Rounds; the table gives medians over them (default: ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--warmup", defaultValue = "3", description = "Seconds of warm-up before each measured window (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--duration", defaultValue = "8", description = "Seconds measured per window (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--initial-warmup", defaultValue = "5", description = "Seconds per scenario of a first pass not reported, for the JIT (default: ${DEFAULT-VALUE})")
  int initialWarmup;

  @Option(names = "--scenarios", split = ",", description = "Only these scenarios (bare-ping is always run): ${COMPLETION-CANDIDATES}")
  List<String> only;

  @Option(names = "--sites", defaultValue = "8", description = "Sites with one collector each; binding workers go round-robin over them (default: ${DEFAULT-VALUE})")
  int sites;

  @Option(names = "--capacity", defaultValue = "10", description = "Persons per tube in the binding scenario (default: ${DEFAULT-VALUE})")
  int capacity;

  @Option(names = "--receipt-tubes", defaultValue = "20000", description = "Single tubes filled, packed and delivered in the setup for receipt scans; "
      + "a window that runs out of them ends early (default: ${DEFAULT-VALUE})")
  int receiptTubes;

  @Option(names = "--box-size", defaultValue = "50", description = "Tubes per box for receipt scans (default: ${DEFAULT-VALUE})")
  int boxSize;

  @Option(names = "--lab-techs", defaultValue = "8", description = "LAB_TECH users the receipt workers go round-robin over (default: ${DEFAULT-VALUE})")
  int labTechs;

  static final List<Scenario> SCENARIOS = List.of(
      new Scenario("bare-ping", "bare Spring Boot `GET /ping`", null, Double.NaN, Double.NaN),
      new Scenario("bare-static", "bare Spring Boot static `/css/epiloop.css`", null, Double.NaN, Double.NaN),
      new Scenario("bindings", "Epiloop `POST /tubes/{t}/bindings` (new persons by ID card, durable)", null, 0.35, 50),
      new Scenario("receipts", "Epiloop receipt scan `POST /labs/{l}/receipts/{b}/tubes`", null, 0.35, Double.NaN),
      new Scenario("code-reads", "Epiloop warm health-code read `GET /resident/persons/{p}/health-code`", null, 0.5, Double.NaN),
      new Scenario("verifications", "Epiloop `POST /health-codes/verification`", null, 0.6, Double.NaN),
      new Scenario("unauthorized", "Epiloop 401 (`GET /api/v1/districts` without a token)", null, 0.8, Double.NaN),
      new Scenario("static", "Epiloop static `/css/epiloop.css`", "bare-static", Double.NaN, Double.NaN));

  private final Log log = new Log("ceiling");

  @Override
  public Integer call() throws Exception {
    if (clients < 1 || rounds < 1 || warmup < 0 || duration < 1 || capacity < 1 || boxSize < 1 || sites < 1 || labTechs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "counts and durations must be positive");
    }
    List<Scenario> scenarios = SCENARIOS.stream()
        .filter(s -> s.key().equals(CeilingReport.BARE_PING) || only == null || only.contains(s.key())).toList();
    Process bare = null;
    try {
      URI bareBase;
      long barePid;
      if (bareUrl != null) {
        bareBase = URI.create(bareUrl);
        barePid = barePidOption == null ? -1 : barePidOption;
      } else {
        int port = freePort();
        bare = startBare(port);
        barePid = bare.pid();
        bareBase = URI.create("http://127.0.0.1:" + port);
        awaitUp(bareBase.resolve("/ping"), bare);
      }
      URI base = URI.create(server.url.endsWith("/") ? server.url.substring(0, server.url.length() - 1) : server.url);
      Data data;
      try {
        data = prepare(base, scenarios);
      } catch (ApiException | IllegalStateException e) {
        log.info("setup failed: %s", e.getMessage());
        return 2;
      }
      Map<String, String> header = new LinkedHashMap<>();
      header.put("command", CommandSupport.commandLine(spec));
      header.put("started", Instant.now().toString());
      return measure(scenarios, bareBase, barePid, base, data, header);
    } finally {
      if (bare != null) {
        bare.destroy();
        bare.waitFor();
      }
    }
  }

  /** What the setup made through the API. */
  record Data(List<Fixture.Collector> collectors, Fixture fixture, String lab, ConcurrentLinkedQueue<Fixture.Box> boxes,
      List<String> techTokens, String residentToken, String personId, String prefix) {}

  private Data prepare(URI base, List<Scenario> scenarios) throws InterruptedException {
    EpiloopClient client = new EpiloopClient(base, Duration.ofSeconds(5), Duration.ofSeconds(60));
    String prefix = Codes.randomPrefix(new Random());
    Codes codes = new Codes("ce", prefix);
    Fixture fixture = new Fixture(client, codes, log, prefix.hashCode());
    boolean receipts = scenarios.stream().anyMatch(s -> s.key().equals("receipts"));
    fixture.directory(server.adminPassword, sites, receipts ? 2 : 0, receipts ? labTechs : 0, 0);
    ConcurrentLinkedQueue<Fixture.Box> boxes = new ConcurrentLinkedQueue<>();
    if (receipts) {
      long t0 = System.nanoTime();
      List<List<String>> tubes = fixture.fillTubes(receiptTubes, 1, 32);
      boxes.addAll(fixture.packAndShip(tubes, boxSize, 16));
      log.info("%d single tubes in %d boxes delivered to %s in %.0f s", receiptTubes, boxes.size(), codes.lab(),
          (System.nanoTime() - t0) / 1e9);
    }
    String admin = fixture.adminToken();
    String residentToken = null;
    String personId = null;
    if (scenarios.stream().anyMatch(s -> s.key().equals("code-reads") || s.key().equals("verifications"))) {
      String phone = "139" + String.format(Locale.ROOT, "%08d", Math.floorMod(prefix.hashCode(), 100_000_000));
      need("otp", client.post("/api/v1/resident/otp", null, Map.of("phone", phone)), 202);
      String code = find(client, admin, phone, LOGIN_CODE, null);
      residentToken = need("session", client.post("/api/v1/resident/session", null, Map.of("phone", phone, "code", code)), 200)
          .text("accessToken");
      String linkId = need("add person", client.post("/api/v1/resident/persons", residentToken, Fixture.map("idType", "CN_ID",
          "idNumber", fixture.ids().next(), "name", "张三", "districtCode", codes.district(), "relation", "SELF")), 202).text("linkId");
      String linkCode = find(client, admin, phone, LINK_CODE, "(ref " + linkId.substring(0, 6).toUpperCase(Locale.ROOT) + ")");
      personId = need("confirm", client.post("/api/v1/resident/persons/links/" + linkId + "/confirmation", residentToken,
          Map.of("code", linkCode)), 200).text("personId");
      log.info("resident with person %s", personId);
    }
    List<String> techTokens = fixture.techs().stream().map(Fixture.User::token).toList();
    return new Data(fixture.collectors(), fixture, codes.lab(), boxes, techTokens, residentToken, personId, prefix);
  }

  private static ApiResponse need(String what, ApiResponse r, int status) {
    if (r.status() != status) {
      throw new ApiException(what, r);
    }
    return r;
  }

  /** A code texted to {@code phone}, from the development SMS outbox (the text goes out just after the answer). */
  private static String find(EpiloopClient client, String admin, String phone, Pattern pattern, String mustContain)
      throws InterruptedException {
    for (int look = 0; look < 100; look++) {
      ApiResponse outbox = client.get("/api/v1/admin/sms-outbox?phone=" + phone + "&limit=10", admin);
      for (com.fasterxml.jackson.databind.JsonNode m : outbox.body()) {
        String text = m.path("text").asText();
        Matcher matcher = pattern.matcher(text);
        if ((mustContain == null || text.contains(mustContain)) && matcher.find()) {
          return matcher.group(1);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no code reached the development SMS outbox for " + phone.substring(0, 3)
        + "**** (does the server run with EPILOOP_SMS_GATEWAY=dev?)");
  }

  private int measure(List<Scenario> scenarios, URI bareBase, long barePid, URI base, Data data, Map<String, String> header)
      throws Exception {
    Long serverPid = server.serverPid;
    List<Long> dbPids = serverPid == null ? List.of() : List.copyOf(ProcStats.databaseProcesses(serverPid).keySet());
    AtomicReference<String> codeToken = new AtomicReference<>();
    AtomicLong tubeCounter = new AtomicLong();
    String tubePrefix = "x" + data.prefix() + "-";
    String staffToken = data.collectors().get(0).token();
    EpiloopClient setupClient = new EpiloopClient(base, Duration.ofSeconds(5), Duration.ofSeconds(30));
    List<Map<String, Window>> results = new ArrayList<>();
    Map<String, Map<String, Long>> errors = new TreeMap<>();
    // a worker's state lives across windows: a binding terminal keeps its open tube, a lab bench its half-scanned box
    Map<String, LoadDriver.Step[]> steps = new java.util.HashMap<>();
    try (LoadDriver driver = new LoadDriver(clients)) {
      for (int round = 0; round <= rounds; round++) {
        boolean first = round == 0;
        if (first && initialWarmup == 0) {
          continue;
        }
        Map<String, Window> windows = new LinkedHashMap<>();
        for (Scenario s : scenarios) {
          boolean bareSide = s.key().startsWith("bare-");
          IntFunction<LoadDriver.Step> workers = switch (s.key()) {
            case "bare-ping" -> i -> Scenarios.get(bareBase.resolve("/ping"), null, 200);
            case "bare-static" -> i -> Scenarios.get(bareBase.resolve("/css/epiloop.css"), null, 200);
            case "bindings" -> i -> Scenarios.bindings(base, Scenarios.pick(data.collectors(), i), tubePrefix, tubeCounter, capacity,
                data.fixture().ids(), data.prefix().hashCode() * 31L + i + 1000L * tubeCounter.get());
            case "receipts" -> i -> Scenarios.receipts(base, data.lab(), Scenarios.pick(data.techTokens(), i), data.boxes());
            case "code-reads" -> i -> Scenarios.get(base.resolve("/api/v1/resident/persons/" + data.personId() + "/health-code"),
                data.residentToken(), 200);
            case "verifications" -> {
              // a fresh token for each window: they live a few minutes
              ApiResponse r = need("health code", setupClient.get("/api/v1/resident/persons/" + data.personId() + "/health-code",
                  data.residentToken()), 200);
              codeToken.set(r.text("token"));
              yield i -> Scenarios.verifications(base, staffToken, codeToken);
            }
            case "unauthorized" -> i -> Scenarios.get(base.resolve("/api/v1/districts"), null, 401);
            case "static" -> i -> Scenarios.get(base.resolve("/css/epiloop.css"), null, 200);
            default -> throw new IllegalStateException(s.key());
          };
          LoadDriver.Step[] kept = steps.computeIfAbsent(s.key(), k -> new LoadDriver.Step[clients]);
          IntFunction<LoadDriver.Step> make = workers;
          IntFunction<LoadDriver.Step> reuse = i -> kept[i] != null ? kept[i] : (kept[i] = make.apply(i));
          long pid = bareSide ? barePid : serverPid == null ? -1 : serverPid;
          LongSupplier jvm = () -> pid < 0 ? -1 : ProcStats.cpuNanos(pid).orElse(-1);
          LongSupplier db = () -> bareSide || dbPids.isEmpty() ? -1 : ProcStats.cpuNanos(dbPids).values().stream().mapToLong(Long::longValue).sum();
          Map<String, Long> errs = new TreeMap<>();
          Window w = first
              ? driver.run(reuse, clients, 0, initialWarmup * 1000L, jvm, db, errs)
              : driver.run(reuse, clients, warmup * 1000L, duration * 1000L, jvm, db, errs);
          log.info("%s %s: %,.0f/s p50 %.1f ms p99 %.1f ms over %.1f s, errors %s", first ? "warm-up" : "round " + round, s.key(),
              w.rate(), w.p50Ms(), w.p99Ms(), w.seconds(), errs);
          if (!first) {
            windows.put(s.key(), w);
            errs.forEach((k, v) -> errors.computeIfAbsent(s.key(), x -> new TreeMap<>()).merge(k, v, Long::sum));
          }
        }
        if (!first) {
          results.add(windows);
        }
      }
    }
    List<CeilingReport.Row> rows = CeilingReport.rows(scenarios, results);
    StringBuilder md = new StringBuilder("# ceiling\n\n");
    header.forEach((k, v) -> md.append("- ").append(k).append(": `").append(v).append("`\n"));
    md.append(String.format(Locale.ROOT, "- %d clients (the same for every scenario), %d rounds of %d s warm-up + %d s measured, "
        + "medians over the rounds; ratios per round, then the median%n", clients, rounds, warmup, duration));
    md.append("- receipt tubes left: ").append(data.boxes().stream().mapToInt(b -> b.tubes().size()).sum()).append('\n');
    if (!errors.isEmpty()) {
      md.append("- errors by scenario and status: ").append(errors).append('\n');
    }
    md.append('\n').append(CeilingReport.table(rows, CeilingReport.labels(scenarios)));
    CommandSupport.publish(md.toString(), server.report, log);
    return rows.stream().allMatch(r -> r.rounds() > 0 && r.rate() > 0) ? 0 : 1;
  }

  private Process startBare(int port) throws IOException {
    Path jar = bareJar != null ? bareJar : defaultBareJar();
    if (!Files.isRegularFile(jar)) {
      throw new CommandLine.ParameterException(spec.commandLine(), "no bare application at " + jar
          + ": build it (mvn -B -f simulator/bare-app/pom.xml package) or pass --bare-jar / --bare-url");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String o : bareJavaOpts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
    Path out = Files.createTempFile("epiloop-bare-", ".log");
    log.info("starting the bare application: %s (log %s)", String.join(" ", cmd), out);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
  }

  private static Path defaultBareJar() {
    List<Path> candidates = new ArrayList<>();
    try {
      Path self = Path.of(CeilingCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // simulator/target/epiloop-simulator.jar (or simulator/target/classes) -> simulator/bare-app/target
      candidates.add(self.getParent().getParent().resolve("bare-app/target/epiloop-bare.jar"));
    } catch (Exception e) {
      // no code source: look from the working directory only
    }
    candidates.add(Path.of("simulator/bare-app/target/epiloop-bare.jar"));
    candidates.add(Path.of("bare-app/target/epiloop-bare.jar"));
    return candidates.stream().filter(Files::isRegularFile).findFirst().orElse(candidates.get(0));
  }

  private void awaitUp(URI ping, Process bare) throws InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + 300_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!bare.isAlive()) {
        throw new IllegalStateException("the bare application exited with " + bare.exitValue());
      }
      try {
        if (http.send(HttpRequest.newBuilder(ping).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          log.info("bare application up at %s (pid %d)", ping, bare.pid());
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("the bare application did not answer " + ping + " within 300 s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
