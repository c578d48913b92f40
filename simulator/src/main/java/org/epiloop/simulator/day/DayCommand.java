package org.epiloop.simulator.day;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.epiloop.simulator.api.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code day}: one mass-testing day of a synthetic city, over HTTP, with invariants checked at the end. */
@Command(
    name = "day",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Runs one mass-testing day of a synthetic city against a running Epiloop, over its HTTP API only. Creates the city "
            + "through the admin API (district, sites, labs, staff, residents with valid ID numbers, resident accounts with "
            + "family members and appointment codes), then runs every stage at once as a pipeline: stations bind residents "
            + "to pooled and single tubes, packers box sealed tubes, couriers deliver, labs receive (with missing, stray and "
            + "rejected tubes), plate with controls, import the instrument CSV and release; positive pools are recalled and "
            + "retested in single tubes; residents fetch results and health codes. Terminals retry scans, scan twice and "
            + "go offline and replay their queue. At the end it checks the invariants over the API, prints the report "
            + "(and writes report.md and report.html with --report-dir).",
        "Exit status: 0 if every invariant passed, 1 if any failed, 2 on setup failure or bad options."})
public final class DayCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Mixin
  DayOptions options = new DayOptions();

  @Override
  public Integer call() throws Exception {
    List<String> problems = options.problems();
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    options.commandLine = commandLine(spec);
    return runAndReport(options, spec);
  }

  /** Runs the day, prints and writes the report; the exit status. */
  static int runAndReport(DayOptions options, CommandLine.Model.CommandSpec spec) throws InterruptedException, IOException {
    CityDay.Result result;
    try {
      result = new CityDay(options).run();
    } catch (ApiException e) {
      spec.commandLine().getErr().println("day: setup failed: " + e.getMessage());
      return 2;
    }
    String md = result.markdown();
    System.out.println();
    System.out.print(md);
    System.out.flush();
    if (options.reportDir != null) {
      write(options.reportDir, result);
      System.err.println("[day] report written to " + options.reportDir.toAbsolutePath().resolve("report.md") + " and report.html");
    }
    return result.passed() ? 0 : 1;
  }

  static void write(Path dir, CityDay.Result result) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.md"), result.markdown(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.html"), result.html(), StandardCharsets.UTF_8);
  }

  /** This process's command line with the admin password masked. */
  static String commandLine(CommandLine.Model.CommandSpec spec) {
    List<String> parts = new ArrayList<>();
    parts.add("java -jar epiloop-simulator.jar");
    CommandLine root = spec.root().commandLine();
    if (root.getParseResult() != null) {
      parts.addAll(root.getParseResult().originalArgs());
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
}
