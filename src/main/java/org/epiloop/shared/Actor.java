package org.epiloop.shared;

import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is acting: a staff user (with the site or lab their role binds them to) or a resident
 * account. It is the principal of every authenticated request.
 *
 * @param name username, or {@code resident:<accountId>} for residents
 * @param role the role
 * @param siteCode the collector's site, else null
 * @param labCode the lab technician's or reviewer's lab, else null
 * @param accountId the resident account, else null
 */
public record Actor(String name, Role role, String siteCode, String labCode, UUID accountId) {

  /** The actor of the current request; fails when nobody is authenticated. */
  public static Actor current() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof Actor actor) {
      return actor;
    }
    throw ApiException.unauthorized("Authentication required");
  }

  /** The actor of the current request, or a system actor for background work. */
  public static Actor currentOrSystem() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth != null && auth.getPrincipal() instanceof Actor actor) {
      return actor;
    }
    return SYSTEM;
  }

  public static final Actor SYSTEM = new Actor("system", Role.ADMIN, null, null, null);

  public boolean is(Role r) {
    return role == r;
  }

  /** Fails with 403 OUT_OF_SCOPE unless this actor may act at the site. */
  public void requireSite(String site) {
    if (role == Role.COLLECTOR && !site.equals(siteCode)) {
      throw ApiException.outOfScope("You act only at site " + siteCode);
    }
  }

  /** Fails with 403 OUT_OF_SCOPE unless this actor may act for the lab. */
  public void requireLab(String lab) {
    if (role.labBound() && !lab.equals(labCode)) {
      throw ApiException.outOfScope("You act only for lab " + labCode);
    }
  }
}
