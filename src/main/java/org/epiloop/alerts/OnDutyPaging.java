package org.epiloop.alerts;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.epiloop.messaging.SmsGateway;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Pages the on-duty officials ({@code epiloop.alerts.on-duty-phones}) by SMS when an alert of a
 * paged kind is raised (L5: a critical result alerts health officials at once). Once per alert:
 * the alert's paging mark is claimed in the listener's transaction, so an event redelivered after
 * a crash or by the retry job finds the mark and sends nothing (with the development gateway,
 * which writes in the same transaction, exactly once).
 */
@Component
@EnableConfigurationProperties(AlertsProperties.class)
class OnDutyPaging {

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneId.of("Asia/Shanghai"));

  private final Alerts alerts;
  private final SmsGateway sms;
  private final AlertsProperties properties;

  OnDutyPaging(Alerts alerts, SmsGateway sms, AlertsProperties properties) {
    this.alerts = alerts;
    this.sms = sms;
    this.properties = properties;
  }

  @ApplicationModuleListener
  void on(AlertRaised raised) {
    if (!properties.pagedKinds().contains(raised.kind()) || properties.onDutyPhones().isEmpty()) {
      return;
    }
    if (!alerts.claimPaging(raised.alertId())) {
      return;
    }
    String text = "Epiloop 预警 " + raised.kind() + " " + raised.subject() + " (" + WHEN.format(raised.raisedAt()) + "): "
        + raised.detail() + " — 请在官员工作台处理 Handle it on the officials' workbench (/official).";
    properties.onDutyPhones().forEach(phone -> sms.send(phone, text));
  }
}
