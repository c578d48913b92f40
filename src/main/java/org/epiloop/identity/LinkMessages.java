package org.epiloop.identity;

import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.epiloop.messaging.SmsGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Sends the texts of person links after the transaction commits, on a thread of its own: the
 * answer to a link request must not wait for an SMS provider, or its time would tell whether a
 * code went out, and so whether the person exists (ADR 0014). A text lost in a crash is asked
 * for again by adding the person again. Codes are in memory only while they wait here.
 */
@Component
class LinkMessages {

  private static final Logger log = LoggerFactory.getLogger(LinkMessages.class);

  private final SmsGateway sms;
  private final ExecutorService senders = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "link-sms");
    t.setDaemon(true);
    return t;
  });
  private final AtomicInteger waiting = new AtomicInteger();

  LinkMessages(SmsGateway sms) {
    this.sms = sms;
  }

  /**
   * Sends {@code text} to each phone once the current transaction has committed; nothing if it
   * rolls back. Registered on every path, also with no phones, so that all paths do the same.
   */
  void afterCommit(List<String> phones, String text) {
    TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
      @Override
      public void afterCommit() {
        if (phones.isEmpty()) {
          return;
        }
        waiting.incrementAndGet();
        try {
          senders.execute(() -> {
            try {
              for (String phone : phones) {
                sms.send(phone, text);
              }
            } catch (RuntimeException e) {
              log.warn("A link text could not be sent ({}); the resident can ask again", e.getClass().getSimpleName());
            } finally {
              waiting.decrementAndGet();
            }
          });
        } catch (RuntimeException e) {
          waiting.decrementAndGet();
          throw e;
        }
      }
    });
  }

  /** Whether every text handed over so far has been sent (or failed). */
  boolean idle() {
    return waiting.get() == 0;
  }

  @PreDestroy
  void stop() throws InterruptedException {
    senders.shutdown();
    senders.awaitTermination(5, TimeUnit.SECONDS);
  }
}
