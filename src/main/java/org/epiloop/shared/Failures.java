package org.epiloop.shared;

import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs an unexpected failure as one bounded line: the exception's class, its root cause's class
 * (with the SQL state when the database refused), and the first frame in Epiloop's code. No
 * messages (they may quote request values or personal data) and no stack trace: a request that
 * fails must not be a way to write 15 KB into the log, and the line still says where to look.
 */
public final class Failures {

  private static final Logger log = LoggerFactory.getLogger(Failures.class);
  private static final String OURS = "org.epiloop.";

  private Failures() {}

  public static void log(Throwable e) {
    log.error(describe(e));
  }

  /** The line that {@link #log} writes. */
  static String describe(Throwable e) {
    Throwable root = e;
    Throwable ours = null;
    for (int depth = 0; depth < 20; depth++) {
      if (ours == null && frame(root) != null) {
        ours = root;
      }
      if (root.getCause() == null || root.getCause() == root) {
        break;
      }
      root = root.getCause();
    }
    StringBuilder line = new StringBuilder("Unexpected failure: ").append(e.getClass().getName());
    if (root != e) {
      line.append(", root cause ").append(root.getClass().getName());
    }
    if (root instanceof SQLException sql && sql.getSQLState() != null) {
      line.append(" (SQL state ").append(sql.getSQLState(), 0, Math.min(5, sql.getSQLState().length())).append(')');
    }
    line.append(", at ").append(ours == null ? "(no Epiloop frame)" : frame(ours));
    return line.toString();
  }

  private static String frame(Throwable t) {
    for (StackTraceElement f : t.getStackTrace()) {
      if (f.getClassName().startsWith(OURS) && !f.getClassName().equals(Failures.class.getName())) {
        return f.getClassName() + "." + f.getMethodName() + ":" + f.getLineNumber();
      }
    }
    return null;
  }
}
