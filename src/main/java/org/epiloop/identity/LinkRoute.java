package org.epiloop.identity;

/**
 * Where the one-time code of a link request goes, decided from what is on record (ADR 0014).
 * The requesting account never learns which route its request took: every request is answered
 * the same way.
 */
enum LinkRoute {
  /** Nobody is registered with the document: to the requesting account's phone. */
  NEW_PERSON,
  /** The person has a phone of their own or a holder: to that phone, else to the holders' phones. */
  HOLDER,
  /**
   * The person was registered on site and has neither phone nor holder (a child, an elder): to the
   * requesting account's phone; the link is audited as a guardian's and shows only later samplings.
   */
  GUARDIAN,
  /** The name does not match the person on record: no code goes anywhere and none will match. */
  NONE
}
