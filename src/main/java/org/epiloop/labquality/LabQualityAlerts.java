package org.epiloop.labquality;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.alerts.AlertSource;
import org.epiloop.alerts.Alerts;
import org.springframework.stereotype.Component;

/**
 * Low stock, expiring lots and due instruments as computed alerts: they clear themselves when a
 * lot is restocked or used up, or an instrument's due date moves after its calibration, so
 * nothing is stored that could go stale.
 */
@Component
class LabQualityAlerts implements AlertSource {

  private final Reagents reagents;
  private final Instruments instruments;
  private final Clock clock;

  LabQualityAlerts(Reagents reagents, Instruments instruments, Clock clock) {
    this.reagents = reagents;
    this.instruments = instruments;
    this.clock = clock;
  }

  @Override
  public List<Alerts.Alert> current() {
    List<Alerts.Alert> alerts = new ArrayList<>();
    for (Reagents.Lot l : reagents.attention()) {
      String subject = l.labCode() + " " + l.lotNumber();
      if (l.low()) {
        alerts.add(new Alerts.Alert("REAGENT_LOW_STOCK", subject, clock.instant(), "试剂库存不足 Low stock: " + l.item() + " lot "
            + l.lotNumber() + ", " + l.remaining() + " left" + (l.daysLeft() == null ? "" : " (about " + l.daysLeft() + " days)")));
      }
      if (l.expired() || l.nearExpiry()) {
        alerts.add(new Alerts.Alert("REAGENT_NEAR_EXPIRY", subject, clock.instant(), (l.expired() ? "试剂已过期 Expired: " : "试剂临近过期 Expires soon: ")
            + l.item() + " lot " + l.lotNumber() + " on " + l.expiresOn()));
      }
    }
    for (Instruments.Instrument i : instruments.attention()) {
      String subject = i.labCode() + " " + i.code();
      if (i.calibrationOverdue() || i.calibrationSoon()) {
        alerts.add(new Alerts.Alert("INSTRUMENT_CALIBRATION_DUE", subject, clock.instant(),
            (i.calibrationOverdue() ? "仪器校准已过期 Calibration overdue: " : "仪器即将校准 Calibration due: ") + i.name() + " on " + i.calibrationDue()));
      }
      if (i.maintenanceOverdue() || i.maintenanceSoon()) {
        alerts.add(new Alerts.Alert("INSTRUMENT_MAINTENANCE_DUE", subject, clock.instant(),
            (i.maintenanceOverdue() ? "仪器维护已过期 Maintenance overdue: " : "仪器即将维护 Maintenance due: ") + i.name() + " on " + i.maintenanceDue()));
      }
    }
    return alerts;
  }
}
