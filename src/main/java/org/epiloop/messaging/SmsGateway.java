package org.epiloop.messaging;

/** Sends a text message to a phone. Implementations must not log the number or the text. */
public interface SmsGateway {

  /**
   * Sends (or queues) one message.
   *
   * @param phone a normalised mainland mobile number
   * @param text the message
   */
  void send(String phone, String text);
}
