package org.epiloop.messaging;

/** Where a message handed to the SMS provider is. DELIVERED and FAILED are final. */
enum DeliveryStatus {
  /** Recorded before the first request to the provider. */
  SENDING,
  /** The provider accepted it; no receipt yet. */
  SENT,
  /** The provider's receipt says it reached the phone. */
  DELIVERED,
  /** Refused, undeliverable, or the provider could not be reached. */
  FAILED
}
