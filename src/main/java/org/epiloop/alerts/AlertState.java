package org.epiloop.alerts;

/**
 * Where an officials' alert stands. An alert is raised OPEN; an official on duty acknowledges
 * it (someone has taken it) and later resolves it (it has been dealt with), each with a note.
 * Resolved alerts leave the screens; the trail stays in the table and the audit log.
 */
public enum AlertState {
  OPEN,
  ACKNOWLEDGED,
  RESOLVED;

  /** The only state an alert may reach this one from: alerts move forward one step at a time. */
  AlertState previous() {
    return this == OPEN ? null : values()[ordinal() - 1];
  }
}
