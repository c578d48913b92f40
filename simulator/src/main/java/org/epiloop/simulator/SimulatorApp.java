package org.epiloop.simulator;

import org.epiloop.simulator.bench.BindBenchCommand;
import org.epiloop.simulator.lab.LabBenchCommand;
import org.epiloop.simulator.lab.ReceiptBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Epiloop simulator: drives a running Epiloop over its HTTP API only, the way real terminals
 * (collector phones, lab benches, venue gates) do. Each activity is a subcommand.
 */
@Command(
    name = "epiloop-simulator",
    mixinStandardHelpOptions = true,
    version = "epiloop-simulator 0.1.0",
    description = "Drives a running Epiloop over HTTP: load generators and (later) a city simulator.",
    subcommands = {BindBenchCommand.class, org.epiloop.simulator.ceiling.CeilingCommand.class, org.epiloop.simulator.codes.CodeBenchCommand.class, ReceiptBenchCommand.class, LabBenchCommand.class,
        org.epiloop.simulator.dash.DashBenchCommand.class, org.epiloop.simulator.env.EnvBenchCommand.class,
        org.epiloop.simulator.day.DayCommand.class, org.epiloop.simulator.day.PlanCommand.class, CommandLine.HelpCommand.class})
public final class SimulatorApp implements Runnable {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    // No subcommand given: show what there is.
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int exit = new CommandLine(new SimulatorApp()).execute(args);
    System.exit(exit);
  }
}
