package org.epiloop.monitoring;

/** A risk area's level, from least to most restrictive; stored by name. */
public enum RiskLevel {
  LOW,
  MEDIUM,
  HIGH
}
