package org.epiloop.simulator.day;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Progress lines on stderr ("[day 12:03:04] …"); the report goes to stdout. */
final class Log {

  private final String tag;
  private final boolean quiet;

  Log(String tag, boolean quiet) {
    this.tag = tag;
    this.quiet = quiet;
  }

  void info(String format, Object... args) {
    if (!quiet) {
      String msg = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
      System.err.println("[" + tag + " " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + msg);
    }
  }
}
