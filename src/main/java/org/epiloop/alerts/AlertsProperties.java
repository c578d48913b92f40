package org.epiloop.alerts;

import java.util.List;
import org.epiloop.shared.Phones;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who is paged when an alert is raised.
 *
 * @param onDutyPhones the on-duty officials' mobile numbers; every alert of a paged kind goes to
 *     each of them by SMS, once (empty: nobody is paged)
 * @param pagedKinds the alert kinds that page the on-duty officials
 */
@ConfigurationProperties("epiloop.alerts")
record AlertsProperties(@DefaultValue List<String> onDutyPhones, @DefaultValue("CRITICAL_RESULT") List<String> pagedKinds) {

  AlertsProperties {
    // fail at start with the entry at fault rather than at the first critical result
    List<String> phones = new java.util.ArrayList<>();
    for (int i = 0; i < onDutyPhones.size(); i++) {
      try {
        phones.add(Phones.normalize("epiloop.alerts.on-duty-phones[" + i + "]", onDutyPhones.get(i)));
      } catch (org.epiloop.shared.ApiException e) {
        throw new IllegalArgumentException(e.getMessage());
      }
    }
    onDutyPhones = List.copyOf(phones);
    pagedKinds = List.copyOf(pagedKinds);
  }

  @Override
  public String toString() { // the phones are personal data
    return "AlertsProperties[" + onDutyPhones.size() + " on-duty phones, paged " + pagedKinds + "]";
  }
}
