/**
 * Lab (L1–L4): boxes received by scan with a discrepancy report, tubes placed on 96-well
 * plates with controls, instrument results imported and interpreted by configurable rules,
 * runs reviewed by a second person (or auto-reviewed when all negative) and released.
 * Publishes {@link org.epiloop.lab.RunReleased}, from which the results module makes person
 * results.
 */
package org.epiloop.lab;
