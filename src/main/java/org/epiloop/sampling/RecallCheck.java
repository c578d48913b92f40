package org.epiloop.sampling;

import java.util.UUID;

/**
 * Whether a person has an open recall (L5: a member of a positive pool, or a sample without a
 * valid result, must be sampled again in a single tube). The results module owns recalls and
 * implements this; sampling asks it on every binding scan, so a recalled person is never put
 * into a pooled tube again.
 */
public interface RecallCheck {

  /** True while the person has an open recall. One indexed lookup. */
  boolean isRecalled(UUID personId);
}
