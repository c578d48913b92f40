package org.epiloop.feverclinic;

/** The result of the test taken at a fever-clinic visit, as the hospital enters it; stored by name. */
public enum VisitResult {
  NEGATIVE,
  POSITIVE
}
