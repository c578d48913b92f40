package org.epiloop.healthcode;

/** A health code's colour, from least to most restrictive. */
public enum HealthColor {
  GREEN,
  YELLOW,
  RED;

  HealthColor worst(HealthColor other) {
    return other.ordinal() > ordinal() ? other : this;
  }
}
