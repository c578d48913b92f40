package org.epiloop.directory;

import java.util.Collection;
import java.util.Map;

/**
 * How busy sampling sites are right now, for the public nearest-site search. The directory does
 * not count sampling; the module that does (the command centre's counters) implements this, so
 * the dependency points from the counters to the directory and not back.
 */
public interface SiteActivity {

  /** Persons sampled in about the last hour at each of these sites; a site with none may be absent. */
  Map<String, Long> sampledLastHour(Collection<String> siteCodes);
}
