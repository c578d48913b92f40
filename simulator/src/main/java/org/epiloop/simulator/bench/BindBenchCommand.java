package org.epiloop.simulator.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bind-bench}: the load-generating benchmark of the tube-binding endpoint. */
@Command(
    name = "bind-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Benchmarks tube binding over HTTP: sets up a district, sites and collectors through the admin API, "
        + "then runs closed-loop collection terminals that open tubes and bind persons by ID card until each tube "
        + "seals. Measures bindings/s and latency after a warm-up.")
public final class BindBenchCommand implements Callable<Integer> {

  private static final Set<Integer> CAPACITIES = Set.of(1, 5, 10, 20);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  ServerOptions server;

  @Option(names = "--clients", defaultValue = "64", description = "Concurrent terminals (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--warmup", defaultValue = "60", description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--duration", defaultValue = "60", description = "Measured seconds (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--sites", defaultValue = "16", description = "Sites, one collector each (default: ${DEFAULT-VALUE})")
  int sites;

  @Option(names = "--capacity", defaultValue = "10", description = "Tube capacity: 1, 5, 10 or 20 (default: ${DEFAULT-VALUE})")
  int capacity;


  @Override
  public Integer call() throws Exception {
    validate();
    BindBench.Config config = new BindBench.Config(server.url, server.adminPassword, clients, warmup, duration, sites, capacity, server.serverPid,
        commandLine());
    BindBench.Result result;
    try {
      result = new BindBench(config).run();
    } catch (ApiException e) {
      spec.commandLine().getErr().println("bind-bench: setup failed: " + e.getMessage());
      return 2;
    }
    String markdown = BindBenchReport.markdown(result);
    System.out.println();
    System.out.print(markdown);
    System.out.flush();
    if (server.report != null) {
      Path parent = server.report.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(server.report, markdown, StandardCharsets.UTF_8);
      BindBench.log("report written to %s", server.report.toAbsolutePath());
    }
    return result.bindsMeasured > 0 ? 0 : 1;
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (!CAPACITIES.contains(capacity)) {
      problems.add("--capacity must be 1, 5, 10 or 20");
    }
    if (clients < 1) {
      problems.add("--clients must be at least 1");
    }
    if (sites < 1 || sites > 99) {
      problems.add("--sites must be 1..99");
    }
    if (warmup < 0) {
      problems.add("--warmup must be >= 0");
    }
    if (duration < 1) {
      problems.add("--duration must be >= 1");
    }
    if (server.serverPid != null && ProcessHandle.of(server.serverPid).isEmpty()) {
      problems.add("--server-pid " + server.serverPid + ": no such process on this machine");
    }
    if (server.serverPid != null && !ProcStats.available()) {
      problems.add("--server-pid needs Linux /proc");
    }
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }

  /** This process's command line, with the admin password masked. */
  private String commandLine() {
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> parts = new ArrayList<>();
    parts.add(info.command().map(c -> c.endsWith("/java") ? "java" : c).orElse("java"));
    String[] args = info.arguments().orElse(null);
    if (args == null) {
      parts.add("-jar epiloop-simulator.jar");
      parts.addAll(spec.commandLine().getParseResult() == null ? List.of() : originalArgs());
    } else {
      parts.addAll(List.of(args));
    }
    for (int i = 0; i < parts.size(); i++) {
      String p = parts.get(i);
      if (p.equals("--admin-password") && i + 1 < parts.size()) {
        parts.set(i + 1, "***");
      } else if (p.startsWith("--admin-password=")) {
        parts.set(i, "--admin-password=***");
      }
    }
    return String.join(" ", parts);
  }

  private List<String> originalArgs() {
    CommandLine root = spec.root().commandLine();
    return root.getParseResult() == null ? List.of() : root.getParseResult().originalArgs();
  }
}
