package org.epiloop.sampling;

import java.time.Instant;

/**
 * A tube was sealed — filled to capacity or sealed by hand — and can be packed for transport.
 * Published once per tube.
 *
 * @param tubeCode the tube
 * @param siteCode where it was filled
 * @param count persons bound to it
 * @param sealedAt when
 */
public record TubeSealed(String tubeCode, String siteCode, int count, Instant sealedAt) {}
