package org.epiloop.simulator.codes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.epiloop.simulator.api.ApiResponse;
import org.epiloop.simulator.api.EpiloopClient;
import org.epiloop.simulator.bench.ProcStats;
import org.epiloop.simulator.bench.ServerMonitor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code code-bench}: health-code reads ({@code GET /api/v1/resident/persons/{id}/health-code}) and
 * checkpoint verifications ({@code POST /api/v1/health-codes/verification}) with closed-loop clients.
 * The accounts and their persons come from files (see README: code-bench-setup.py and
 * code-bench-load.sql); the measured requests all go over HTTP.
 */
@Command(
    name = "code-bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "Benchmarks health-code reads by residents and verifications by staff over HTTP, with closed-loop clients, "
        + "a warm-up and a measured phase each.")
public final class CodeBenchCommand implements Callable<Integer> {

  private static final long HIGHEST_MICROS = 120_000_000L;

  @Option(names = "--state", required = true, description = "JSON state written by scripts/code-bench-setup.py (url, accounts with tokens, staff)")
  Path state;

  @Option(names = "--persons-file", description = "CSV 'holderPersonId,personId' (the persons on each account, keyed by the holder "
      + "from the state file); default: each account's persons from GET /api/v1/resident/persons")
  Path personsFile;

  @Option(names = "--url", description = "Epiloop base URL (default: the state file's)")
  String url;

  @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients (default: ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--warmup", defaultValue = "30", description = "Warm-up seconds per phase (default: ${DEFAULT-VALUE})")
  int warmup;

  @Option(names = "--duration", defaultValue = "60", description = "Measured seconds per phase (default: ${DEFAULT-VALUE})")
  int duration;

  @Option(names = "--tokens", defaultValue = "5000", description = "Health-code tokens kept from the reads (the latest) for verification (default: ${DEFAULT-VALUE})")
  int tokens;

  @Option(names = "--staff-role", defaultValue = "OFFICIAL", description = "Which staff user of the state file verifies (default: ${DEFAULT-VALUE})")
  String staffRole;

  @Option(names = "--skip-verify", description = "Only the read phase")
  boolean skipVerify;

  @Option(names = "--server-pid", description = "Server JVM pid on this machine: peak RSS and CPU split")
  Long serverPid;

  @Option(names = "--report", description = "Also write the Markdown report to this file")
  Path report;

  private static void log(String fmt, Object... args) {
    System.err.printf("[code-bench %s] %s%n", Instant.now(), String.format(fmt, args));
  }

  /** One client: its bearer token and the persons it may read. */
  record Client(String token, String[] persons) {}

  /** What one phase measured. */
  static final class Phase {
    final String name;
    final Histogram hist = new Histogram(HIGHEST_MICROS, 3);
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    final Map<String, LongAdder> warmupErrors = new ConcurrentHashMap<>();
    long ok;
    long all;
    double seconds;
    long peakRssKb = -1;
    ServerMonitor.CpuSnapshot from;
    ServerMonitor.CpuSnapshot to;
    Map<Long, String> db = new TreeMap<>();
    double[] loadBefore;
    double[] loadAfter;

    Phase(String name) {
      this.name = name;
    }
  }

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    JsonNode st = json.readTree(state.toFile());
    String base = url != null ? url : st.path("url").asText();
    EpiloopClient client = new EpiloopClient(URI.create(base), Duration.ofSeconds(5), Duration.ofSeconds(60));
    List<String> holders = new ArrayList<>();
    Map<String, String> tokenOf = new HashMap<>();
    for (JsonNode a : st.path("accounts")) {
      holders.add(a.path("personId").asText());
      tokenOf.put(a.path("personId").asText(), a.path("token").asText());
    }
    Map<String, List<String>> personsOf = new HashMap<>();
    long t0 = System.nanoTime();
    if (personsFile != null) {
      for (String line : Files.readAllLines(personsFile, StandardCharsets.UTF_8)) {
        int comma = line.indexOf(',');
        if (comma > 0) {
          personsOf.computeIfAbsent(line.substring(0, comma).trim(), k -> new ArrayList<>()).add(line.substring(comma + 1).trim());
        }
      }
    } else {
      for (String h : holders) {
        ApiResponse r = client.get("/api/v1/resident/persons", tokenOf.get(h));
        if (r.status() != 200) {
          log("GET /api/v1/resident/persons: %s", r.errorKey());
          return 2;
        }
        List<String> ids = new ArrayList<>();
        r.body().forEach(p -> ids.add(p.path("personId").asText()));
        personsOf.put(h, ids);
      }
    }
    long persons = 0;
    List<Client> readers = new ArrayList<>();
    for (String h : holders) {
      List<String> ids = personsOf.getOrDefault(h, List.of(h));
      persons += ids.size();
      readers.add(new Client(tokenOf.get(h), ids.toArray(String[]::new)));
    }
    log("%d accounts, %d persons (loaded in %.1f s)", readers.size(), persons, (System.nanoTime() - t0) / 1e9);

    ServerMonitor monitor = null;
    if (serverPid != null) {
      monitor = new ServerMonitor(serverPid);
      monitor.start();
    }
    AtomicReferenceArray<String> ring = new AtomicReferenceArray<>(Math.max(1, tokens));
    AtomicLong ringNext = new AtomicLong();
    Phase reads = run("health-code reads", monitor, i -> {
      Client c = readers.get(i % readers.size());
      SplittableRandom rnd = new SplittableRandom(i * 7919L + System.nanoTime());
      return () -> {
        String p = c.persons()[rnd.nextInt(c.persons().length)];
        ApiResponse r = client.get("/api/v1/resident/persons/" + p + "/health-code", c.token());
        if (r.status() == 200) {
          String tok = r.text("token");
          if (tok == null) {
            return "200 no token";
          }
          ring.set((int) (ringNext.getAndIncrement() % ring.length()), tok);
          return null;
        }
        return r.errorKey();
      };
    });
    Phase verifications = null;
    if (!skipVerify) {
      List<String> toks = new ArrayList<>();
      for (int i = 0; i < ring.length(); i++) {
        if (ring.get(i) != null) {
          toks.add(ring.get(i));
        }
      }
      String staff = st.path("staff").path(staffRole).path("token").asText(null);
      if (toks.isEmpty() || staff == null) {
        log("no tokens (%d) or no staff token for %s: verification skipped", toks.size(), staffRole);
      } else {
        log("verification with %d tokens as %s", toks.size(), st.path("staff").path(staffRole).path("username").asText());
        String[] pool = toks.toArray(String[]::new);
        verifications = run("verifications", monitor, i -> {
          SplittableRandom rnd = new SplittableRandom(i * 104729L + System.nanoTime());
          return () -> {
            ApiResponse r = client.post("/api/v1/health-codes/verification", staff, Map.of("token", pool[rnd.nextInt(pool.length)]));
            if (r.status() != 200) {
              return r.errorKey();
            }
            return r.body().path("valid").asBoolean(false) ? null : "200 valid=false";
          };
        });
      }
    }
    if (monitor != null) {
      monitor.close();
    }
    String md = report(reads, verifications, readers.size(), persons, monitor);
    System.out.println(md);
    if (report != null) {
      Files.writeString(report, md, StandardCharsets.UTF_8);
    }
    return reads.ok > 0 ? 0 : 1;
  }

  /** A request: null on success, else the error key. */
  interface Op {
    String call();
  }

  private Phase run(String name, ServerMonitor monitor, Function<Integer, Op> ops) throws InterruptedException {
    Phase ph = new Phase(name);
    long start = System.nanoTime();
    long mFrom = start + warmup * 1_000_000_000L;
    long mTo = mFrom + duration * 1_000_000_000L;
    Histogram[] hists = new Histogram[clients];
    long[] oks = new long[clients];
    long[] alls = new long[clients];
    Thread[] threads = new Thread[clients];
    log("%s: %d clients, warm-up %d s, measured %d s", name, clients, warmup, duration);
    for (int i = 0; i < clients; i++) {
      final int k = i;
      hists[k] = new Histogram(HIGHEST_MICROS, 3);
      Op op = ops.apply(k);
      threads[k] = new Thread(() -> {
        while (true) {
          long s = System.nanoTime();
          if (s >= mTo) {
            return;
          }
          String err = op.call();
          long e = System.nanoTime();
          boolean measured = s >= mFrom && e <= mTo;
          if (measured) {
            alls[k]++;
          }
          if (err == null) {
            if (measured) {
              oks[k]++;
              hists[k].recordValue(Math.min(HIGHEST_MICROS, (e - s) / 1000));
            }
          } else {
            (e < mFrom ? ph.warmupErrors : ph.errors).computeIfAbsent(err, x -> new LongAdder()).increment();
          }
        }
      }, "code-client-" + k);
      threads[k].start();
    }
    ph.loadBefore = loadAverage();
    Thread.sleep(Math.max(0, (mFrom - System.nanoTime()) / 1_000_000));
    if (serverPid != null) {
      ph.db = ProcStats.databaseProcesses(serverPid);
    }
    ph.from = ServerMonitor.CpuSnapshot.take(serverPid == null ? 0 : serverPid, ph.db.keySet());
    if (monitor != null) {
      monitor.measuring(true);
    }
    log("%s: measured phase starts", name);
    Thread.sleep(Math.max(0, (mTo - System.nanoTime()) / 1_000_000));
    if (serverPid != null) {
      ph.db.putAll(ProcStats.databaseProcesses(serverPid));
    }
    ph.to = ServerMonitor.CpuSnapshot.take(serverPid == null ? 0 : serverPid, ph.db.keySet());
    ph.loadAfter = loadAverage();
    if (monitor != null) {
      monitor.measuring(false);
      ph.peakRssKb = monitor.peakRssMeasuredKb();
    }
    for (Thread t : threads) {
      t.join();
    }
    for (int i = 0; i < clients; i++) {
      ph.hist.add(hists[i]);
      ph.ok += oks[i];
      ph.all += alls[i];
    }
    ph.seconds = (ph.to.wallNanos() - ph.from.wallNanos()) / 1e9;
    log("%s: %d ok in %.1f s = %.0f/s, p99 %.1f ms", name, ph.ok, ph.seconds, ph.ok / ph.seconds,
        ph.hist.getValueAtPercentile(99) / 1000.0);
    return ph;
  }

  private String report(Phase reads, Phase verifications, int accounts, long persons, ServerMonitor monitor) {
    StringBuilder b = new StringBuilder();
    b.append("# code-bench\n\n");
    b.append(String.format("%d closed-loop clients; %d accounts holding %,d persons; warm-up %d s, measured %d s per phase. "
        + "Finished %s.%n%n", clients, accounts, persons, warmup, duration, Instant.now()));
    b.append("| phase | ok | rate /s | mean ms | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | errors (measured) |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for (Phase p : new Phase[] {reads, verifications}) {
      if (p == null) {
        continue;
      }
      Histogram h = p.hist;
      b.append(String.format("| %s | %,d | **%,.0f** | %.2f | %.2f | %.2f | **%.2f** | %.2f | %.2f | %s |%n", p.name, p.ok,
          p.ok / p.seconds, h.getMean() / 1000, h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0,
          p.errors.isEmpty() ? "none" : new TreeMap<>(p.errors).toString()));
    }
    b.append("\n## Resources (measured phases)\n\n");
    for (Phase p : new Phase[] {reads, verifications}) {
      if (p == null) {
        continue;
      }
      b.append("### ").append(p.name).append("\n\n");
      if (!p.warmupErrors.isEmpty()) {
        b.append("- errors in warm-up: ").append(new TreeMap<>(p.warmupErrors)).append('\n');
      }
      double wall = p.seconds;
      int cpus = Runtime.getRuntime().availableProcessors();
      double busy = p.to.machineTotal() == p.from.machineTotal() ? 0
          : (double) (p.to.machineBusy() - p.from.machineBusy()) / (p.to.machineTotal() - p.from.machineTotal());
      if (serverPid != null) {
        double jvm = (p.to.serverJvm() - p.from.serverJvm()) / 1e9 / wall;
        double db = p.to.databaseSince(p.from) / 1e9 / wall;
        b.append(String.format("- server peak VmRSS (measured phase): %.0f MiB%n", p.peakRssKb / 1024.0));
        b.append(String.format("- CPU, average cores busy: server JVM %.2f, PostgreSQL (%d processes) %.2f, split %.0f%% / %.0f%%%n",
            jvm, p.db.size(), db, jvm + db > 0 ? 100 * jvm / (jvm + db) : 0, jvm + db > 0 ? 100 * db / (jvm + db) : 0));
      }
      b.append(String.format("- this client %.2f; whole machine %.2f of %d cores (%.0f%% busy)%n",
          (p.to.client() - p.from.client()) / 1e9 / wall, busy * cpus, cpus, busy * 100));
      b.append(String.format("- load average before/after measured phase: %s / %s%n%n", fmt(p.loadBefore), fmt(p.loadAfter)));
    }
    if (monitor != null) {
      b.append(String.format("Server peak VmRSS over the run: %.0f MiB; VmHWM: %.0f MiB%n", monitor.peakRssKb() / 1024.0,
          monitor.hwmKb().orElse(-1) / 1024.0));
    }
    return b.toString();
  }

  private static double[] loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    } catch (Exception e) {
      return null;
    }
  }

  private static String fmt(double[] l) {
    return l == null ? "?" : String.format("%.2f %.2f %.2f", l[0], l[1], l[2]);
  }
}
