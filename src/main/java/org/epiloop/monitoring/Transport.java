package org.epiloop.monitoring;

/** How a person arrived; stored by name. */
public enum Transport {
  TRAIN,
  FLIGHT,
  CAR,
  BUS,
  SHIP,
  OTHER
}
