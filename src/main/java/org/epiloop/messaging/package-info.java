/**
 * Messaging: text messages to residents' phones through an {@link
 * org.epiloop.messaging.SmsGateway}: an SMS provider's HTTP API (signed requests, retries,
 * signed delivery receipts), or, in development and the demo city, a gateway that keeps the
 * messages encrypted in the database for ADMIN to read instead of sending them.
 */
package org.epiloop.messaging;
