package org.epiloop.simulator.lab;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines on stderr ("[receipt-bench 12:03:04] …"); the report goes to stdout. */
final class Log {

  private final String tag;

  Log(String tag) {
    this.tag = tag;
  }

  void info(String format, Object... args) {
    String msg = String.format(Locale.ROOT, format, args);
    System.err.println("[" + tag + " " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + msg);
  }
}
