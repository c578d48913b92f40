package org.epiloop.simulator.lab;

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

/** {@code lab-bench}: PCR runs from plate loading through result import and release to person results. */
@Command(
    name = "lab-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Benchmarks the lab's runs over HTTP: sets up and fills plates x 94 pooled tubes, ships and receives them "
        + "at one lab (not measured); then concurrent runners load plates (94 tubes + 2 controls) and post the instrument "
        + "CSV, all negative, so every run is auto-released (phase A: latency of run creation and CSV import); and measures "
        + "how long the server takes to turn the released runs into person results (phase B: persons/s).")
public final class LabBenchCommand implements Callable<Integer> {

  private static final Set<Integer> CAPACITIES = Set.of(1, 5, 10, 20);

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  ServerOptions server;

  @Option(names = "--plates", defaultValue = "110", description = "Plates of 94 tubes each (default: ${DEFAULT-VALUE})")
  int plates;

  @Option(names = "--pool", defaultValue = "10", description = "Persons per tube (tube capacity 1, 5, 10 or 20; default: ${DEFAULT-VALUE})")
  int pool;

  @Option(names = "--runners", defaultValue = "4", description = "Concurrent lab technicians loading plates (default: ${DEFAULT-VALUE})")
  int runners;

  @Option(names = "--sites", defaultValue = "8", description = "Sampling sites, one collector each (default: ${DEFAULT-VALUE})")
  int sites;

  @Option(names = "--fillers", defaultValue = "48", description = "Concurrent binding threads in the setup (default: ${DEFAULT-VALUE})")
  int fillers;

  @Option(names = "--box-size", defaultValue = "100", description = "Tubes per transport box in the setup (default: ${DEFAULT-VALUE})")
  int boxSize;

  @Option(names = "--couriers", defaultValue = "4", description = "Couriers (default: ${DEFAULT-VALUE})")
  int couriers;

  @Option(names = "--poll-ms", defaultValue = "250", description = "Poll interval of GET /results/runs/{id} per run, ms (default: ${DEFAULT-VALUE})")
  int pollMillis;

  @Option(names = "--timeout", defaultValue = "1800", description = "Give up waiting for person results after this many seconds of the measured phases (default: ${DEFAULT-VALUE})")
  int timeoutSeconds;


  @Override
  public Integer call() throws Exception {
    validate();
    LabBench.Config config = new LabBench.Config(server.url, server.adminPassword, plates, pool, runners, sites, fillers, boxSize, couriers,
        pollMillis, timeoutSeconds, server.serverPid, CommandSupport.commandLine(spec));
    LabBench.Result result;
    try {
      result = new LabBench(config).run();
    } catch (ApiException | IllegalStateException e) {
      spec.commandLine().getErr().println("lab-bench: setup failed: " + e.getMessage());
      return 2;
    }
    CommandSupport.publish(LabBenchReport.markdown(result), server.report, new Log("lab-bench"));
    return result.runsComplete > 0 ? 0 : 1;
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (plates < 1) {
      problems.add("--plates must be at least 1");
    }
    if (!CAPACITIES.contains(pool)) {
      problems.add("--pool must be 1, 5, 10 or 20");
    }
    if (runners < 1 || runners > 99) {
      problems.add("--runners must be 1..99");
    }
    if (sites < 1 || sites > 99) {
      problems.add("--sites must be 1..99");
    }
    if (fillers < 1) {
      problems.add("--fillers must be at least 1");
    }
    if (boxSize < 1) {
      problems.add("--box-size must be at least 1");
    }
    if (couriers < 1 || couriers > 99) {
      problems.add("--couriers must be 1..99");
    }
    if (pollMillis < 10) {
      problems.add("--poll-ms must be at least 10");
    }
    if (timeoutSeconds < 1) {
      problems.add("--timeout must be at least 1");
    }
    CommandSupport.checkServerPid(server.serverPid, problems);
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }
}
