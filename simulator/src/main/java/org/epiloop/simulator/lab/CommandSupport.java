package org.epiloop.simulator.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.simulator.bench.ProcStats;
import picocli.CommandLine;

/** What the benchmark commands share (lab benches, dash-bench): checking --server-pid, the masked command line, writing the report. */
public final class CommandSupport {

  private CommandSupport() {}

  public static void checkServerPid(Long serverPid, List<String> problems) {
    if (serverPid != null && ProcessHandle.of(serverPid).isEmpty()) {
      problems.add("--server-pid " + serverPid + ": no such process on this machine");
    }
    if (serverPid != null && !ProcStats.available()) {
      problems.add("--server-pid needs Linux /proc");
    }
  }

  /** This process's command line with the admin password masked. */
  public static String commandLine(CommandLine.Model.CommandSpec spec) {
    ProcessHandle.Info info = ProcessHandle.current().info();
    List<String> parts = new ArrayList<>();
    parts.add(info.command().map(c -> c.endsWith("/java") ? "java" : c).orElse("java"));
    String[] args = info.arguments().orElse(null);
    if (args == null) {
      parts.add("-jar epiloop-simulator.jar");
      CommandLine root = spec.root().commandLine();
      if (root.getParseResult() != null) {
        parts.addAll(root.getParseResult().originalArgs());
      }
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

  /** Prints the report to stdout and writes it to {@code report} when given. */
  public static void publish(String markdown, Path report, Log log) throws IOException {
    System.out.println();
    System.out.print(markdown);
    System.out.flush();
    if (report != null) {
      Path parent = report.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(report, markdown, StandardCharsets.UTF_8);
      log.info("report written to %s", report.toAbsolutePath());
    }
  }
}
