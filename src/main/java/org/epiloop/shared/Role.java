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
  /** Bound to one lab; runs it: quality control, reagents, instruments, rooms, turnaround (L6–L9). */
  LAB_DIRECTOR,
  /** A system outside the city (a neighbouring city, a hospital lab) exchanging results in FHIR (P4). */
  PARTNER,
  /** Community grid worker (网格员): follows up declarations in the grids assigned to them. */
  GRID_WORKER,
  /** A designated hospital's fever clinic (发热门诊): reports visits for its one hospital. */
  HOSPITAL,
  /** A phone account holding its holder and family members. */
  RESIDENT;

  /** Roles bound to one lab: they act only for their own lab's boxes, tubes and runs. */
  public boolean labBound() {
    return this == LAB_TECH || this == LAB_REVIEWER || this == LAB_DIRECTOR;
  }

  public String authority() {
    return "ROLE_" + name();
  }
}
