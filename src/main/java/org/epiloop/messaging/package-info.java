/**
 * Messaging: text messages to residents' phones through an {@link
 * org.epiloop.messaging.SmsGateway}. The built-in development gateway keeps the messages in
 * the database, readable by ADMIN, instead of sending them.
 */
package org.epiloop.messaging;
