package org.epiloop.simulator.day;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.epiloop.simulator.api.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code plan}: campaign planning (D3), and optionally a simulated day at the plan's shape to check it. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Plans a mass-testing campaign: for a population, a pool size, a deadline and the rates of stations, couriers and "
            + "labs, computes the collection terminals, sites, couriers, PCR runs, instruments and labs needed, and the "
            + "Dorfman-optimal pool size at the prevalence (over 1..32 and among the tube sizes 1, 5, 10, 20).",
        "With --run it then runs the 'day' simulator at the plan's shape, scaled down to --run-persons, against a running "
            + "Epiloop, checks the invariants, and compares the rates the server sustained with the rates the plan needs.",
        "Exit status: 0 (with --run: 0 if every invariant passed and the server kept up, 1 otherwise, 2 on setup failure)."})
public final class PlanCommand implements Callable<Integer> {

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--population", defaultValue = "1000000", description = "Persons to test (default: ${DEFAULT-VALUE})")
  long population;

  @Option(names = "--pool", defaultValue = "10", description = "Persons per pooled tube: 1, 5, 10 or 20 (default: ${DEFAULT-VALUE})")
  int pool;

  @Option(names = "--single-share", defaultValue = "0.05", description = "Fraction sampled in single tubes (default: ${DEFAULT-VALUE})")
  double singleShare;

  @Option(names = "--prevalence", defaultValue = "0.0001", description = "Expected prevalence (default: ${DEFAULT-VALUE})")
  double prevalence;

  @Option(names = "--deadline-hours", defaultValue = "24", description = "Hours from the first sample to the last result (default: ${DEFAULT-VALUE})")
  double deadlineHours;

  @Option(names = "--sampling-hours", description = "Sampling window in hours (default: what the deadline leaves)")
  Double samplingHours;

  @Option(names = "--station-rate", defaultValue = "200", description = "Persons a terminal samples per hour (default: ${DEFAULT-VALUE})")
  double stationRate;

  @Option(names = "--terminals-per-site", defaultValue = "6", description = "Collection terminals per site (default: ${DEFAULT-VALUE})")
  int terminalsPerSite;

  @Option(names = "--box-size", defaultValue = "50", description = "Tubes per transport box (default: ${DEFAULT-VALUE})")
  int boxSize;

  @Option(names = "--courier-trip-minutes", defaultValue = "60", description = "A courier's round trip site → lab → site (default: ${DEFAULT-VALUE})")
  double courierTripMinutes;

  @Option(names = "--boxes-per-trip", defaultValue = "4", description = "Boxes a courier carries per trip (default: ${DEFAULT-VALUE})")
  int boxesPerTrip;

  @Option(names = "--transport-limit-hours", defaultValue = "3", description = "Samples must reach a lab within this long (default: ${DEFAULT-VALUE})")
  double transportLimitHours;

  @Option(names = "--run-minutes", defaultValue = "150", description = "One PCR run, extraction to result (default: ${DEFAULT-VALUE})")
  double runMinutes;

  @Option(names = "--instruments-per-lab", defaultValue = "8", description = "PCR instruments per lab (default: ${DEFAULT-VALUE})")
  int instrumentsPerLab;

  @Option(names = "--run", defaultValue = "false", description = "Run the day simulator at this plan's shape to check it")
  boolean run;

  @Option(names = "--run-persons", defaultValue = "20000", description = "Persons in the checking day (default: ${DEFAULT-VALUE})")
  int runPersons;

  @Option(names = "--max-terminals", defaultValue = "32", description = "Terminals in the checking day at most (default: ${DEFAULT-VALUE})")
  int maxTerminals;

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Epiloop base URL for --run (default: ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--admin-password", description = "Password of the server's 'admin' user for --run (default: $EPILOOP_ADMIN_PASSWORD)")
  String adminPassword = System.getenv("EPILOOP_ADMIN_PASSWORD");

  @Option(names = "--admin-totp-secret", description = "Base32 TOTP secret of the server's 'admin' (its second factor) (default: $EPILOOP_ADMIN_TOTP_SECRET)")
  public void adminTotpSecret(String base32) {
    org.epiloop.simulator.api.SecondFactor.useAdminSecret(base32);
  }

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the checking day (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--server-pid", description = "Pid of the server JVM on this machine (peak RSS in the report)")
  Long serverPid;

  @Option(names = "--report-dir", description = "Write plan.md (and with --run report.md and report.html) into this directory")
  Path reportDir;

  @Option(names = "--quiet", defaultValue = "false", description = "No progress lines on stderr")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    Plan.Input in = new Plan.Input(population, pool, singleShare, prevalence, deadlineHours, samplingHours, stationRate,
        terminalsPerSite, boxSize, courierTripMinutes, boxesPerTrip, transportLimitHours, runMinutes, instrumentsPerLab, 0);
    Plan.Result plan;
    try {
      plan = Plan.compute(in);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    String md = Plan.markdown(plan);
    System.out.print(md);
    System.out.flush();
    if (reportDir != null) {
      Files.createDirectories(reportDir);
      Files.writeString(reportDir.resolve("plan.md"), md, StandardCharsets.UTF_8);
    }
    if (!run) {
      return 0;
    }
    DayOptions o = dayOptions(plan, runPersons, maxTerminals);
    o.url = url;
    o.adminPassword = adminPassword;
    o.seed = seed;
    o.serverPid = serverPid;
    o.reportDir = reportDir;
    o.quiet = quiet;
    o.commandLine = DayCommand.commandLine(spec);
    List<String> problems = o.problems();
    if (!problems.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), String.join("; ", problems));
    }
    CityDay.Result result;
    try {
      result = new CityDay(o).run();
    } catch (ApiException e) {
      spec.commandLine().getErr().println("plan --run: setup failed: " + e.getMessage());
      return 2;
    }
    String check = check(plan, o, result);
    System.out.println();
    System.out.print(result.markdown());
    System.out.println();
    System.out.print(check);
    System.out.flush();
    if (reportDir != null) {
      DayCommand.write(reportDir, result);
      Files.writeString(reportDir.resolve("plan.md"), md + "\n" + check, StandardCharsets.UTF_8);
    }
    return result.passed() && serverKeepsUp(plan, result) ? 0 : 1;
  }

  /** The day at the plan's shape, scaled down to {@code persons}: sites, terminals per site, couriers, labs in proportion. */
  static DayOptions dayOptions(Plan.Result plan, int persons, int maxTerminals) {
    Plan.Input in = plan.in();
    DayOptions o = new DayOptions();
    long n = Math.min(persons, in.population());
    double f = (double) n / in.population();
    o.persons = (int) n;
    int perSite = Math.min(in.terminalsPerSite(), Math.max(1, maxTerminals));
    int sites = (int) Math.max(1, Math.round(plan.sites() * f));
    sites = Math.min(sites, Math.max(1, maxTerminals / perSite));
    o.sites = Math.min(99, sites);
    o.collectorsPerSite = Math.min(20, perSite);
    o.couriers = (int) Math.max(1, Math.min(16, Math.round(plan.couriers() * f)));
    o.labs = (int) Math.max(1, Math.min(4, Math.round(plan.labs() * f)));
    if (in.pool() == 1) {
      o.pool = 10;
      o.singleShare = 1.0;
    } else {
      o.pool = in.pool();
      o.singleShare = in.singleShare();
    }
    o.prevalence = in.prevalence();
    o.boxSize = in.boxSize();
    return o;
  }

  /** The sampling rate the server sustained with the day's terminals, per second. */
  static double sampledPerSecond(CityDay.Result r) {
    return DayReport.stageRows(r).stream().filter(s -> s.name().equals("sampling")).findFirst().map(DayReport.StageRow::perSecond)
        .filter(v -> !Double.isNaN(v)).orElse(0.0);
  }

  static boolean serverKeepsUp(Plan.Result plan, CityDay.Result r) {
    return sampledPerSecond(r) >= plan.scansPerSecond();
  }

  static String check(Plan.Result plan, DayOptions o, CityDay.Result r) {
    double rate = sampledPerSecond(r);
    double perTerminalHour = rate * 3600 / o.terminals();
    double runsPerHour = DayReport.stageRows(r).stream().filter(s -> s.name().equals("results import")).findFirst()
        .map(DayReport.StageRow::perSecond).filter(v -> !Double.isNaN(v)).orElse(0.0) * 3600;
    StringBuilder b = new StringBuilder();
    b.append("## Plan check\n\n");
    b.append(String.format(Locale.ROOT, "The checking day ran the plan's shape scaled to %,d persons: sites %d x terminals %d, couriers %d, "
        + "labs %d, pool %d. Invariants: %s.%n%n", o.persons, o.sites, o.collectorsPerSite, o.couriers, o.labs, o.pool,
        r.passed() ? "all PASS" : "FAIL"));
    b.append("| rate | the plan needs | the server sustained (a lower bound of what it can) | |\n|---|---:|---:|---|\n");
    b.append(String.format(Locale.ROOT, "| binding scans per second, city-wide | %.1f | %.1f | %s |%n", plan.scansPerSecond(), rate,
        rate >= plan.scansPerSecond() ? String.format(Locale.ROOT, "%.1fx headroom", rate / plan.scansPerSecond())
            : String.format(Locale.ROOT, "short by %.0f%%: scale the server out or sample over longer", 100 * (1 - rate / plan.scansPerSecond()))));
    b.append(String.format(Locale.ROOT, "| persons per terminal per hour | %.0f | %.0f | %s |%n", o.persons > 0 ? plan.in().stationRatePerHour() : 0,
        perTerminalHour, perTerminalHour >= plan.in().stationRatePerHour() ? "the server is not what limits a station"
            : "the server limits the stations below the planned rate"));
    b.append(String.format(Locale.ROOT, "| instrument CSV imports per hour, city-wide (peak) | %.1f | %.0f | %s |%n", plan.peakRunsPerHour(),
        runsPerHour, runsPerHour >= plan.peakRunsPerHour() ? "keeps up" : "short"));
    b.append("\nThe server's rates are what it sustained on this machine with every stage running at once; the plan's are the "
        + "city-wide averages over the sampling window.\n");
    return b.toString();
  }
}
