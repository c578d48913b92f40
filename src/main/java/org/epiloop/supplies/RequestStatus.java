package org.epiloop.supplies;

import java.util.Set;

/**
 * Where a site's request is: asked, approved (or declined) by an official, dispatched from a
 * warehouse (its stock leaves then), picked up by a courier, received at the site (its stock
 * arrives then). Each transition is allowed only from the states listed.
 */
public enum RequestStatus {
  REQUESTED,
  APPROVED,
  DECLINED,
  DISPATCHED,
  PICKED_UP,
  RECEIVED;

  /** The states a request may move into this one from. */
  Set<RequestStatus> from() {
    return switch (this) {
      case REQUESTED -> Set.of();
      case APPROVED, DECLINED -> Set.of(REQUESTED);
      case DISPATCHED -> Set.of(APPROVED);
      case PICKED_UP -> Set.of(DISPATCHED);
      // a site may receive what a warehouse worker brought by hand, without a courier's scan
      case RECEIVED -> Set.of(DISPATCHED, PICKED_UP);
    };
  }
}
