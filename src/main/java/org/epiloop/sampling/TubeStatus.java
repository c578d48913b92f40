package org.epiloop.sampling;

/** Where a tube is in sampling. */
public enum TubeStatus {
  /** Opened at a site; persons can be bound and unbound. */
  OPEN,
  /** Full or sealed by hand; its members are fixed. */
  SEALED
}
