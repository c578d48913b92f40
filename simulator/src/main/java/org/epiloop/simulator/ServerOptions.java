package org.epiloop.simulator;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every benchmark shares: which server, its admin password (and second factor), its pid for memory
 * and CPU sampling, and where to write the report. Mixed into commands with {@code @Mixin}.
 */
public final class ServerOptions {

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "Epiloop base URL (default: ${DEFAULT-VALUE})")
  public String url;

  @Option(names = "--admin-password", required = true, description = "Password of the server's 'admin' user")
  public String adminPassword;

  @Option(names = "--admin-totp-secret", description = "Base32 TOTP secret of the server's 'admin' (its second factor) (default: $EPILOOP_ADMIN_TOTP_SECRET)")
  public void adminTotpSecret(String base32) {
    org.epiloop.simulator.api.SecondFactor.useAdminSecret(base32);
  }

  @Option(names = "--server-pid", description = "Pid of the server JVM on this machine: sample its VmRSS every second, VmHWM at the end, and its CPU")
  public Long serverPid;

  @Option(names = "--report", description = "Also write the report as Markdown to this file")
  public Path report;
}
