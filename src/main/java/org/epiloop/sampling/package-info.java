/**
 * Sampling (S2–S3, R2–R3): pre-printed tubes opened as single or pooled tubes at a site,
 * persons bound to them scan by scan, sealed when full. Publishes {@link
 * org.epiloop.sampling.TubeSealed} for transport.
 */
package org.epiloop.sampling;
