package org.epiloop.labquality;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Lab quality settings. {@code rules}: the Westgard rules a lab applies, in order (an unknown
 * name fails the start); a lab that runs few plates a day may drop {@code 10-x}, for example.
 * {@code nearExpiryDays}: how early a lot's expiry is an alert; {@code calibrationNoticeDays}:
 * how early an instrument's due calibration or maintenance is; {@code rateDays}: the recent days
 * whose use makes the days-left forecast.
 */
@ConfigurationProperties("epiloop.qc")
record QcProperties(
    @DefaultValue({"1-2s", "1-3s", "2-2s", "R-4s", "4-1s", "10-x"}) List<String> rules,
    @DefaultValue("14") int nearExpiryDays,
    @DefaultValue("7") int calibrationNoticeDays,
    @DefaultValue("7") int rateDays) {

  QcProperties {
    WestgardRules.named(rules); // fails fast on a misspelt rule
    if (nearExpiryDays < 0 || calibrationNoticeDays < 0 || rateDays < 1) {
      throw new IllegalArgumentException("epiloop.qc: day counts must be ≥ 0 (rateDays ≥ 1)");
    }
  }
}
