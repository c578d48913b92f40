/**
 * Venues and contacts (V1–V4): venues register and print their venue code (场所码), a signed
 * token in a QR; persons check in by scanning it ({@link org.epiloop.venue.CheckIns}); when an
 * official confirms a case, everyone who checked in at the case's venues within a time window
 * is found in set-based SQL — close contacts, and secondary contacts who met a close contact
 * after their exposure (时空伴随) — and a tracing list is kept. Residents check their own
 * exposures (密接自查). Publishes {@link org.epiloop.venue.CaseConfirmed} and {@link
 * org.epiloop.venue.ContactsFound}; other modules read venues through {@link
 * org.epiloop.venue.Venues}.
 */
package org.epiloop.venue;
