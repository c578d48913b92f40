package org.epiloop.simulator.dash;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.epiloop.simulator.ServerOptions;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.lab.CommandSupport;
import org.epiloop.simulator.lab.Log;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code dash-bench}: latency of the command-centre dashboard endpoints, as wall screens poll them. */
@Command(
    name = "dash-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Benchmarks the command-centre dashboard (GET /api/v1/dashboard/summary, labs, sites, turnaround, alerts) "
        + "over HTTP as an OFFICIAL: closed-loop clients GET the endpoints round-robin for a warm-up and a measured window "
        + "and the report gives, per endpoint, requests, errors by status and p50/p90/p99/max. Non-2xx answers are counted, "
        + "never fatal. Run it next to bind-bench (a separate process) to measure the dashboard while the server is loaded; "
        + "load a big day first with scripts/dashboard-load.sql.")
public final class DashBenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  ServerOptions server;

  @Option(names = "--user", defaultValue = "official1", description = "OFFICIAL to log in as; created through the admin API "
      + "with --password if the login fails (default: ${DEFAULT-VALUE})")
  String user;

  @Option(names = "--password", defaultValue = "epiloop-demo", description = "Its password (default: ${DEFAULT-VALUE})")
  String password;

  @Option(names = "--district", description = "District code for summary?districtCode= and sites?districtCode= "
      + "(default: the district with the most sites)")
  String district;

  @Option(names = "--endpoints", description = "Comma-separated subset of: summary, summary-district, districts, labs, sites, "
      + "sites-district, trend, trend-district, turnaround, alerts (default: all)")
  String endpoints;

  @Option(names = "--clients", defaultValue = "4", description = "Concurrent closed-loop clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--warmup", defaultValue = "10", description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--duration", defaultValue = "60", description = "Measured seconds (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--pause-ms", defaultValue = "0", description = "Pause of each client after each request, ms "
      + "(a wall screen polls every few seconds; default: ${DEFAULT-VALUE})")
  long pauseMs;

  @Option(names = "--timeout", defaultValue = "30", description = "Request timeout, seconds (default: ${DEFAULT-VALUE})")
  int timeout;

  @Option(names = "--target-ms", defaultValue = "100", description = "p99 target per endpoint, ms, marked in the report "
      + "(default: ${DEFAULT-VALUE})")
  double targetMs;

  @Override
  public Integer call() throws Exception {
    validate();
    DashBench.Config config = new DashBench.Config(server.url.replaceAll("/+$", ""), server.adminPassword, user, password, district,
        endpoints, clients, warmup, duration, pauseMs, timeout, targetMs, server.serverPid, CommandSupport.commandLine(spec));
    DashBench.Result result;
    try {
      result = new DashBench(config).run();
    } catch (ApiException | IllegalStateException e) {
      spec.commandLine().getErr().println("dash-bench: setup failed: " + e.getMessage());
      return 2;
    }
    CommandSupport.publish(DashBenchReport.markdown(result), server.report, new Log("dash-bench"));
    return result.okTotal() > 0 ? 0 : 1;
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (clients < 1 || clients > 256) {
      problems.add("--clients must be 1..256");
    }
    if (warmup < 0) {
      problems.add("--warmup must be at least 0");
    }
    if (duration < 1) {
      problems.add("--duration must be at least 1");
    }
    if (pauseMs < 0) {
      problems.add("--pause-ms must be at least 0");
    }
    if (timeout < 1) {
      problems.add("--timeout must be at least 1");
    }
    try {
      DashEndpoints.select("x", endpoints);
    } catch (IllegalArgumentException e) {
      problems.add("--endpoints: " + e.getMessage());
    }
    CommandSupport.checkServerPid(server.serverPid, problems);
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }
}
