package org.epiloop.venue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Test probe (found by the application's component scan of the test classpath): records the
 * venue module's events once their transaction commits, through the event publication
 * registry like any module listener.
 */
@Component
public class RecordedVenueEvents {

  private final List<CaseConfirmed> confirmed = new CopyOnWriteArrayList<>();
  private final List<ContactsFound> contacts = new CopyOnWriteArrayList<>();

  // accessors, not fields: the registry proxies listener beans
  public List<CaseConfirmed> confirmed() {
    return confirmed;
  }

  public List<ContactsFound> contacts() {
    return contacts;
  }

  @TransactionalEventListener
  void on(CaseConfirmed event) {
    confirmed.add(event);
  }

  @TransactionalEventListener
  void on(ContactsFound event) {
    contacts.add(event);
  }
}
