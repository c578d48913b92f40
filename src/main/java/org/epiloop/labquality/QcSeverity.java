package org.epiloop.labquality;

/** What a Westgard violation does to its run. Stored as text. */
enum QcSeverity {
  /** Shown at review; the run may be released. */
  WARNING,
  /** The run is held until a reviewer records a corrective action. */
  REJECTION
}
