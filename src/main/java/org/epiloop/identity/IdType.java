package org.epiloop.identity;

/** Kinds of identity document a person registers with. */
public enum IdType {
  /** Mainland resident identity card (GB 11643, 18 characters with a check character). */
  CN_ID,
  PASSPORT,
  /** Mainland travel permit for Hong Kong and Macao residents. */
  HK_MO_PERMIT,
  /** Mainland travel permit for Taiwan residents. */
  TW_PERMIT,
  /** Foreign permanent resident ID card. */
  FOREIGN_PR
}
