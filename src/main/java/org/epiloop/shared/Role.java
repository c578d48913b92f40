package org.epiloop.shared;

/** The roles of API.md. Stored and transmitted by name. */
public enum Role {
  ADMIN,
  /** Health commission and command centre. */
  OFFICIAL,
  /** Takes samples; bound to one site. */
  COLLECTOR,
  COURIER,
  /** Bound to one lab. */
  LAB_TECH,
  /** Bound to one lab; approves runs entered by someone else. */
  LAB_REVIEWER,
  VENUE_MANAGER,
  /** Community grid worker (网格员): follows up declarations in the grids assigned to them. */
  GRID_WORKER,
  /** A phone account holding its holder and family members. */
  RESIDENT;

  public String authority() {
    return "ROLE_" + name();
  }
}
