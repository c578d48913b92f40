package org.epiloop.alerts;

import java.util.List;

/**
 * A module that computes alerts on read (as overdue boxes are): {@link Alerts#open()} adds what
 * every source reports now. Sources live in the modules that own the data, so the alerts module
 * needs to know none of them (a module that raises stored alerts through {@link Alerts} may
 * also be a source without a dependency cycle).
 */
public interface AlertSource {

  /** The alerts that hold right now; never personal data. */
  List<Alerts.Alert> current();
}
