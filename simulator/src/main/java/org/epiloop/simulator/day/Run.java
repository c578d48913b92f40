package org.epiloop.simulator.day;

import java.time.Instant;
import java.util.List;

/** A PCR run: one plate of tubes at one lab. */
final class Run {

  final String plateCode;
  final int lab;
  final List<Tube> tubes;
  volatile String runId;
  volatile String status;
  volatile Instant loadedAt;
  volatile Instant releasedAt;
  volatile Instant publishedAt;

  Run(String plateCode, int lab, List<Tube> tubes) {
    this.plateCode = plateCode;
    this.lab = lab;
    this.tubes = List.copyOf(tubes);
  }

  int persons() {
    return tubes.stream().mapToInt(Tube::size).sum();
  }

  boolean positive() {
    return tubes.stream().anyMatch(Tube::positive);
  }
}
