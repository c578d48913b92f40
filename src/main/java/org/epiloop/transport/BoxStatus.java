package org.epiloop.transport;

/** Where a box's current trip stands. */
public enum BoxStatus {
  /** At the site; sealed tubes are being packed. */
  OPEN,
  /** Closed with its tube count; waiting for a courier. */
  SEALED,
  /** With a courier. */
  IN_TRANSIT,
  /** Delivered to a lab's door; not yet opened. */
  ARRIVED,
  /** Opened by a lab; its tubes are checked in. */
  RECEIVED
}
