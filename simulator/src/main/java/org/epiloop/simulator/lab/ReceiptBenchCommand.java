package org.epiloop.simulator.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.epiloop.simulator.api.ApiException;
import org.epiloop.simulator.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code receipt-bench}: the load-generating benchmark of lab receipt (box open, tube scans, close). */
@Command(
    name = "receipt-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Benchmarks lab receipt over HTTP: sets up sites, collectors, couriers, a lab and its technicians, fills "
        + "single tubes, packs them into boxes and delivers them to the lab (not measured); then concurrent benches take "
        + "box after box from a shared queue, open it, scan every tube and close it. Measures tube scans/s after a "
        + "warm-up of 10%% of the scans, and the latency of scans, opens and closes.")
public final class ReceiptBenchCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin
  ServerOptions server;

  @Option(names = "--benches", defaultValue = "32", description = "Concurrent lab benches, one LAB_TECH each (default: ${DEFAULT-VALUE})")
  int benches;

  @Option(names = "--tubes", defaultValue = "60000", description = "Single tubes (capacity 1, one person each) to receive (default: ${DEFAULT-VALUE})")
  int tubes;

  @Option(names = "--box-size", defaultValue = "100", description = "Tubes per transport box (default: ${DEFAULT-VALUE})")
  int boxSize;

  @Option(names = "--sites", defaultValue = "8", description = "Sampling sites, one collector each (default: ${DEFAULT-VALUE})")
  int sites;

  @Option(names = "--fillers", defaultValue = "32", description = "Concurrent threads filling and shipping tubes in the setup (default: ${DEFAULT-VALUE})")
  int fillers;

  @Option(names = "--couriers", defaultValue = "4", description = "Couriers (default: ${DEFAULT-VALUE})")
  int couriers;


  @Override
  public Integer call() throws Exception {
    validate();
    ReceiptBench.Config config = new ReceiptBench.Config(server.url, server.adminPassword, benches, tubes, boxSize, sites, fillers, couriers,
        server.serverPid, CommandSupport.commandLine(spec));
    ReceiptBench.Result result;
    try {
      result = new ReceiptBench(config).run();
    } catch (ApiException | IllegalStateException e) {
      spec.commandLine().getErr().println("receipt-bench: setup failed: " + e.getMessage());
      return 2;
    }
    CommandSupport.publish(ReceiptBenchReport.markdown(result), server.report, new Log("receipt-bench"));
    return result.scansMeasured > 0 ? 0 : 1;
  }

  private void validate() {
    List<String> problems = new ArrayList<>();
    if (benches < 1 || benches > 99) {
      problems.add("--benches must be 1..99");
    }
    if (tubes < 1) {
      problems.add("--tubes must be at least 1");
    }
    if (boxSize < 1) {
      problems.add("--box-size must be at least 1");
    }
    if (sites < 1 || sites > 99) {
      problems.add("--sites must be 1..99");
    }
    if (fillers < 1) {
      problems.add("--fillers must be at least 1");
    }
    if (couriers < 1 || couriers > 99) {
      problems.add("--couriers must be 1..99");
    }
    CommandSupport.checkServerPid(server.serverPid, problems);
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
  }
}
