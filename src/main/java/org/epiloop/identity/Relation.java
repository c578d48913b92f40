package org.epiloop.identity;

/**
 * Who a person is to the account that holds them. Only a confirmed {@code SELF} link may give a
 * person the account's phone (ADR 0014), and an account is one person's own at most once.
 */
enum Relation {
  /** The account holder themself. */
  SELF,
  /** A family member or someone in the holder's care. */
  FAMILY
}
