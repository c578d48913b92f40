package org.epiloop.labquality;

/** A run's quality-control verdict from its control values. Stored as text. */
public enum QcStatus {
  /** Every control value within the rules. */
  PASS,
  /** A warning (1-2s) only: shown at review, release allowed. */
  WARNING,
  /** A rejection rule broke: release held until a reviewer records a corrective action. */
  REJECTED,
  /** Was rejected; a reviewer recorded the corrective action, release allowed. */
  CORRECTED
}
