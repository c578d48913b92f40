package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.List;

/** A transport box: packed at a site, carried by a courier, received by a lab. */
final class Box {

  final String code;
  final int site;
  final int lab;
  final List<Tube> tubes;
  volatile Instant sealedAt;
  volatile Instant deliveredAt;
  volatile Instant receivedAt;
  /** What the receipt's close answered (for the reconciliation). */
  volatile int receivedCount = -1;
  volatile boolean reconciled;

  Box(String code, int site, int lab, List<Tube> tubes) {
    this.code = code;
    this.site = site;
    this.lab = lab;
    this.tubes = List.copyOf(tubes);
  }
}
