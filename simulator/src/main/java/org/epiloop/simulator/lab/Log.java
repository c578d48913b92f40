package org.epiloop.simulator.lab;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines on stderr ("[receipt-bench 12:03:04] …"); the report goes to stdout. */
public final class Log {

  private final String tag;

  public Log(String tag) {
    this.tag = tag;
  }

  public void info(String format, Object... args) {
    String msg = String.format(Locale.ROOT, format, args);
    System.err.println("[" + tag + " " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + msg);
  }
}
