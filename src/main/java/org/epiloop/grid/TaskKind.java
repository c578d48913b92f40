package org.epiloop.grid;

/** What a follow-up task is about; stored by name. */
enum TaskKind {
  /** An arrival from another region (a declaration or an upload). */
  ARRIVAL,
  /** A declared contact with a case. */
  CLOSE_CONTACT,
  /** Any other declaration: symptoms. */
  DECLARATION,
  /** A person placed under home observation: a diary entry every day until the end. */
  HOME_OBSERVATION,
  /** A recalled person not retested in time (ADR 0018): the grid worker calls or visits them to come for the retest. */
  OVERDUE_RECALL
}
