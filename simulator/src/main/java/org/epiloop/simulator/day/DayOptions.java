package org.epiloop.simulator.day;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Everything one simulated testing day needs to know: the options of the {@code day} command
 * (a picocli mixin, also used by {@code plan --run}); tests set the fields directly. The
 * defaults are the command's defaults.
 */
public final class DayOptions {

  static final Set<Integer> POOLS = Set.of(5, 10, 20);

  /** The first (or only) base URL; {@link #urls()} has them all. */
  public String url = "http://localhost:8080";

  /** Every --url given, in order; empty when none was (then {@link #url} alone). */
  private final List<String> urls = new ArrayList<>();

  /**
   * Repeatable: with several copies of Epiloop on one database, each terminal talks to one of
   * them (spread round-robin) and a request it sends again goes to the next copy, as a terminal
   * that timed out would reach another copy through a load balancer. One URL may be a load
   * balancer's.
   */
  @Option(names = "--url", paramLabel = "URL", description = "Epiloop base URL; repeat it (or separate with commas) for several copies "
      + "sharing one database: terminals are spread over them and a request sent again goes to another copy (default: http://localhost:8080)",
      split = ",")
  public void url(List<String> values) {
    urls.clear();
    urls.addAll(values);
    if (!values.isEmpty()) {
      url = values.get(0);
    }
  }

  /** The base URLs of the copies to drive: the --url values, or {@link #url} alone. */
  public List<String> urls() {
    return urls.isEmpty() ? List.of(url) : List.copyOf(urls);
  }

  @Option(names = "--admin-password", description = "Password of the server's 'admin' user (default: $EPILOOP_ADMIN_PASSWORD)")
  public String adminPassword = System.getenv("EPILOOP_ADMIN_PASSWORD");

  @Option(names = "--admin-totp-secret", description = "Base32 TOTP secret of the server's 'admin' (its second factor) (default: $EPILOOP_ADMIN_TOTP_SECRET)")
  public void adminTotpSecret(String base32) {
    org.epiloop.simulator.api.SecondFactor.useAdminSecret(base32);
  }

  @Option(names = "--persons", defaultValue = "20000", description = "Residents who come to be sampled (default: ${DEFAULT-VALUE})")
  public int persons = 20_000;

  @Option(names = "--pool", defaultValue = "10", description = "Persons per pooled tube: 5, 10 or 20 (default: ${DEFAULT-VALUE})")
  public int pool = 10;

  @Option(names = "--single-share", defaultValue = "0.05", description = "Fraction sampled in single tubes (default: ${DEFAULT-VALUE})")
  public double singleShare = 0.05;

  @Option(names = "--appointment-share", defaultValue = "0.2",
      description = "Fraction pre-registered through resident accounts, who bind by appointment code (default: ${DEFAULT-VALUE})")
  public double appointmentShare = 0.2;

  @Option(names = "--family-max", defaultValue = "3",
      description = "Persons per resident account: the holder and 0..N-1 family members (default: ${DEFAULT-VALUE})")
  public int familyMax = 3;

  @Option(names = "--sites", defaultValue = "8", description = "Sampling sites (default: ${DEFAULT-VALUE})")
  public int sites = 8;

  @Option(names = "--labs", defaultValue = "2", description = "PCR labs (default: ${DEFAULT-VALUE})")
  public int labs = 2;

  @Option(names = "--collectors-per-site", defaultValue = "2", description = "Collection terminals per site (default: ${DEFAULT-VALUE})")
  public int collectorsPerSite = 2;

  @Option(names = "--couriers", defaultValue = "4", description = "Couriers (default: ${DEFAULT-VALUE})")
  public int couriers = 4;

  @Option(names = "--lab-techs", defaultValue = "2", description = "Receiving technicians per lab (default: ${DEFAULT-VALUE})")
  public int labTechs = 2;

  @Option(names = "--prevalence", defaultValue = "0.0001", description = "Probability that a person is infected (default: ${DEFAULT-VALUE})")
  public double prevalence = 0.0001;

  @Option(names = "--retry-rate", defaultValue = "0.01",
      description = "Per scan: the terminal sends it again with the same Idempotency-Key (default: ${DEFAULT-VALUE})")
  public double retryRate = 0.01;

  @Option(names = "--duplicate-rate", defaultValue = "0.01",
      description = "Per scan: the same person is scanned again with a new key (default: ${DEFAULT-VALUE})")
  public double duplicateRate = 0.01;

  @Option(names = "--offline-rate", defaultValue = "0.01",
      description = "Per scan: the terminal loses its network for 3-15 scans, queues them and replays the queue (default: ${DEFAULT-VALUE})")
  public double offlineRate = 0.01;

  @Option(names = "--csv-twice-rate", defaultValue = "0.01", description = "Per run: the instrument CSV is uploaded twice (default: ${DEFAULT-VALUE})")
  public double csvTwiceRate = 0.01;

  @Option(names = "--qc-drift", defaultValue = "0.05",
      description = "Per run: how far (in SDs) each lab's positive control drifts upward, until a Westgard rejection makes the lab "
          + "correct it (0: no drift) (default: ${DEFAULT-VALUE})")
  public double qcDrift = 0.05;

  @Option(names = "--qc-scatter", defaultValue = "1.0",
      description = "The positive control's random scatter around its lot's mean, in SDs (1.0: a control in statistical control; "
          + "about 1 run in 22 warns 1-2s) (default: ${DEFAULT-VALUE})")
  public double qcScatter = 1.0;

  @Option(names = "--missing-rate", defaultValue = "0.01", description = "Per tube: missing from its box at the lab (default: ${DEFAULT-VALUE})")
  public double missingRate = 0.01;

  @Option(names = "--unexpected-rate", defaultValue = "0.01",
      description = "Per tube: a stray tube not packed in the box is scanned at the lab (default: ${DEFAULT-VALUE})")
  public double unexpectedRate = 0.01;

  @Option(names = "--reject-rate", defaultValue = "0.01", description = "Per tube: rejected at the lab as leaking (default: ${DEFAULT-VALUE})")
  public double rejectRate = 0.01;

  @Option(names = "--box-size", defaultValue = "50", description = "Tubes per transport box at most (default: ${DEFAULT-VALUE})")
  public int boxSize = 50;

  @Option(names = "--box-wait-ms", defaultValue = "3000",
      description = "A site packs a partly filled box when its oldest sealed tube has waited this long (default: ${DEFAULT-VALUE})")
  public int boxWaitMillis = 3000;

  @Option(names = "--plate-wait-ms", defaultValue = "3000",
      description = "A lab loads a partly filled plate when its oldest tube has waited this long (default: ${DEFAULT-VALUE})")
  public int plateWaitMillis = 3000;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random decisions (default: ${DEFAULT-VALUE})")
  public long seed = 1;

  @Option(names = "--server-pid", description = "Pid of the server JVM on this machine: report its peak RSS")
  public Long serverPid;

  @Option(names = "--report-dir", description = "Write report.md and report.html into this directory")
  public Path reportDir;

  @Option(names = "--venues", defaultValue = "false",
      description = "Also register venues, check future cases and negative residents in, confirm the positives as cases and check "
          + "their contacts (skipped if the server answers 404)")
  public boolean venues;

  @Option(names = "--venues-per-1000", defaultValue = "5",
      description = "With --venues: venues per 1,000 residents; the city registers max(3, persons / 2000, persons x this / 1000) venues, "
          + "0 for the old max(3, persons / 2000). More venues mean fewer contacts per case (default: ${DEFAULT-VALUE})")
  public int venuesPer1000 = 5;

  @Option(names = "--contact-window-minutes", defaultValue = "60",
      description = "The server's contact window (epiloop.venue.contact-window), for the expected contacts of each case (default: ${DEFAULT-VALUE})")
  public int contactWindowMinutes = 60;

  @Option(names = "--contact-lookback-days", defaultValue = "4",
      description = "The server's lookback before a confirmation (epiloop.venue.lookback), for the expected contacts (default: ${DEFAULT-VALUE})")
  public int contactLookbackDays = 4;

  @Option(names = "--declaration-rate", defaultValue = "0.02",
      description = "Per person on a resident account: declares an arrival or a cough during the day, for a community grid; "
          + "0 for none (skipped if the server has no grids) (default: ${DEFAULT-VALUE})")
  public double declarationRate = 0.02;

  @Option(names = "--fever-visit-rate", defaultValue = "0.01",
      description = "Per person on a resident account: visits a designated hospital's fever clinic during the day, reported by the "
          + "hospital; 0 for none (skipped if the server has no fever clinics) (default: ${DEFAULT-VALUE})")
  public double feverVisitRate = 0.01;

  @Option(names = "--sensor-readings-per-second", defaultValue = "0",
      description = "Environment readings the labs' sensor gateways send per second in all, over HTTP batches (0: none) (default: ${DEFAULT-VALUE})")
  public int sensorReadingsPerSecond = 0;

  @Option(names = "--sensor-devices", defaultValue = "20", description = "Sensor devices per lab (default: ${DEFAULT-VALUE})")
  public int sensorDevices = 20;

  @Option(names = "--max-minutes", defaultValue = "60", description = "Give up the day after this many minutes (default: ${DEFAULT-VALUE})")
  public int maxMinutes = 60;

  @Option(names = "--settle-seconds", defaultValue = "180",
      description = "After the day, wait at most this long for every person's result (default: ${DEFAULT-VALUE})")
  public int settleSeconds = 180;

  @Option(names = "--province", defaultValue = "false",
      description = "Start a FHIR receiver standing for the province on --province-port (start the server with "
          + "EPILOOP_PROVINCE_ENABLED=true, EPILOOP_PROVINCE_ENDPOINT=http://localhost:<port>/fhir and a "
          + "EPILOOP_PROVINCE_BEARER_TOKEN) and check that every released result was delivered once")
  public boolean province;

  @Option(names = "--province-port", defaultValue = "18099", description = "Port of the --province receiver (default: ${DEFAULT-VALUE})")
  public int provincePort = 18099;

  @Option(names = "--province-url", description = "A province receiver that runs elsewhere (its FHIR base URL): the check counts "
      + "its DiagnosticReports (GET DiagnosticReport?_summary=count)")
  public String provinceUrl;

  @Option(names = "--site-stock", defaultValue = "0",
      description = "Supplies (G1): swabs and tubes of each size recorded at every site before the day, PCR reactions --lab-stock at "
          + "every lab; after the day the settled use must equal the day's tubes, swabs and wells and no stock be negative; 0: off "
          + "(default: ${DEFAULT-VALUE})")
  public long siteStock = 0;

  @Option(names = "--lab-stock", defaultValue = "100000", description = "PCR reactions at every lab with --site-stock (default: ${DEFAULT-VALUE})")
  public long labStock = 100000;

  @Option(names = "--quiet", defaultValue = "false", description = "No progress lines on stderr")
  public boolean quiet;

  /** The command line, shown in the report (set by the command). */
  public String commandLine = "";

  /** What is wrong with these options; empty when they can be run. */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (province && provinceUrl != null) {
      p.add("--province starts a receiver; --province-url points at one: give one of them");
    }
    if (siteStock < 0 || labStock < 0) {
      p.add("--site-stock and --lab-stock must not be negative");
    }
    if (provincePort < 1 || provincePort > 65535) {
      p.add("--province-port must be 1 to 65535");
    }
    if (urls().stream().anyMatch(u -> u == null || u.isBlank())) {
      p.add("--url is required");
    } else if (urls().size() > 16) {
      p.add("--url: at most 16 copies");
    } else if (urls().stream().distinct().count() < urls().size()) {
      p.add("--url: the same URL twice");
    }
    if (adminPassword == null || adminPassword.isEmpty()) {
      p.add("--admin-password (or EPILOOP_ADMIN_PASSWORD) is required");
    }
    if (persons < 1) {
      p.add("--persons must be at least 1");
    }
    if (!POOLS.contains(pool)) {
      p.add("--pool must be 5, 10 or 20");
    }
    share(p, "--single-share", singleShare);
    share(p, "--appointment-share", appointmentShare);
    share(p, "--prevalence", prevalence);
    share(p, "--retry-rate", retryRate);
    share(p, "--duplicate-rate", duplicateRate);
    share(p, "--offline-rate", offlineRate);
    share(p, "--csv-twice-rate", csvTwiceRate);
    share(p, "--missing-rate", missingRate);
    share(p, "--unexpected-rate", unexpectedRate);
    share(p, "--reject-rate", rejectRate);
    share(p, "--declaration-rate", declarationRate);
    share(p, "--fever-visit-rate", feverVisitRate);
    if (missingRate + rejectRate >= 0.5) {
      p.add("--missing-rate + --reject-rate must stay below 0.5 (the members of lost tubes are sampled again)");
    }
    if (qcDrift < 0 || qcDrift > 2 || qcScatter < 0 || qcScatter > 3) {
      p.add("--qc-drift must be 0..2 and --qc-scatter 0..3 (SDs)");
    }
    if (familyMax < 1 || familyMax > 10) {
      p.add("--family-max must be 1..10");
    }
    if (sites < 1 || sites > 99) {
      p.add("--sites must be 1..99");
    }
    if (labs < 1 || labs > 20) {
      p.add("--labs must be 1..20");
    }
    if (collectorsPerSite < 1 || collectorsPerSite > 20) {
      p.add("--collectors-per-site must be 1..20");
    }
    if (couriers < 1 || couriers > 200) {
      p.add("--couriers must be 1..200");
    }
    if (labTechs < 1 || labTechs > 20) {
      p.add("--lab-techs must be 1..20");
    }
    if (boxSize < 1 || boxSize > 1000) {
      p.add("--box-size must be 1..1000");
    }
    if (boxWaitMillis < 0 || plateWaitMillis < 0) {
      p.add("--box-wait-ms and --plate-wait-ms must be >= 0");
    }
    if (contactWindowMinutes < 1 || contactWindowMinutes > 1440) {
      p.add("--contact-window-minutes must be 1..1440");
    }
    if (contactLookbackDays < 1 || contactLookbackDays > 30 || contactLookbackDays * 1440L <= contactWindowMinutes) {
      p.add("--contact-lookback-days must be 1..30 and longer than the contact window");
    }
    if (venuesPer1000 < 0 || venuesPer1000 > 1000) {
      p.add("--venues-per-1000 must be 0..1000");
    }
    if (sensorReadingsPerSecond < 0 || sensorReadingsPerSecond > 1_000_000 || sensorDevices < 1 || sensorDevices > 999) {
      p.add("--sensor-readings-per-second must be 0..1000000 and --sensor-devices 1..999");
    }
    if (maxMinutes < 1 || settleSeconds < 1) {
      p.add("--max-minutes and --settle-seconds must be >= 1");
    }
    if (serverPid != null && ProcessHandle.of(serverPid).isEmpty()) {
      p.add("--server-pid " + serverPid + ": no such process on this machine");
    }
    return p;
  }

  private static void share(List<String> p, String name, double v) {
    if (!(v >= 0 && v <= 1)) {
      p.add(name + " must be between 0 and 1");
    }
  }

  /**
   * Venues the city registers with --venues: max(3, persons / 2000) as before, or more with
   * --venues-per-1000, so that a large city does not crowd everyone into a few venues (each
   * case would have a six-figure list of contacts).
   */
  public int venueCount() {
    return (int) Math.max(Math.max(3, persons / 2000), (long) persons * venuesPer1000 / 1000);
  }

  /** Collection terminals in all. */
  public int terminals() {
    return sites * collectorsPerSite;
  }
}
