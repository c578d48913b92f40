package org.epiloop.healthcode;

import java.util.LinkedHashMap;
import java.util.Map;
import org.epiloop.shared.ApiException;

/**
 * The configurable windows and colours of the rules (H4), stored with an audit trail.
 *
 * @param closeContactDays how long a close contact's code stays restricted after exposure
 * @param closeContactColor its colour
 * @param secondaryContactDays the same for secondary contacts
 * @param secondaryContactColor their colour
 * @param retestColor the colour while a recall or retest is outstanding
 * @param highRiskArrivalDays how long after an arrival from a high-risk area its rule applies (unless two negative tests 24 h apart end it)
 * @param highRiskArrivalColor its colour
 * @param mediumRiskArrivalDays the same for medium-risk areas (one negative test ends it)
 * @param mediumRiskArrivalColor its colour
 * @param declaredFeverColor the colour of a declared fever until a negative test
 * @param gridReportColor the colour of a person a grid worker uploaded as high-risk, until a negative test
 */
record RuleSettings(int closeContactDays, HealthColor closeContactColor, int secondaryContactDays,
    HealthColor secondaryContactColor, HealthColor retestColor, int highRiskArrivalDays, HealthColor highRiskArrivalColor,
    int mediumRiskArrivalDays, HealthColor mediumRiskArrivalColor, HealthColor declaredFeverColor, HealthColor gridReportColor) {

  static final RuleSettings DEFAULTS = new RuleSettings(14, HealthColor.RED, 7, HealthColor.YELLOW, HealthColor.YELLOW,
      14, HealthColor.RED, 14, HealthColor.YELLOW, HealthColor.YELLOW, HealthColor.YELLOW);

  Map<String, String> asMap() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("closeContactDays", String.valueOf(closeContactDays));
    m.put("closeContactColor", closeContactColor.name());
    m.put("secondaryContactDays", String.valueOf(secondaryContactDays));
    m.put("secondaryContactColor", secondaryContactColor.name());
    m.put("retestColor", retestColor.name());
    m.put("highRiskArrivalDays", String.valueOf(highRiskArrivalDays));
    m.put("highRiskArrivalColor", highRiskArrivalColor.name());
    m.put("mediumRiskArrivalDays", String.valueOf(mediumRiskArrivalDays));
    m.put("mediumRiskArrivalColor", mediumRiskArrivalColor.name());
    m.put("declaredFeverColor", declaredFeverColor.name());
    m.put("gridReportColor", gridReportColor.name());
    return m;
  }

  /** These settings with one changed; 400 naming the setting when the value is not valid. */
  RuleSettings with(String name, String value) {
    Map<String, String> m = asMap();
    if (!m.containsKey(name)) {
      throw ApiException.badRequest("UNKNOWN_SETTING", name, "No rule setting " + name + "; known: " + m.keySet());
    }
    m.put(name, value);
    try {
      RuleSettings r = new RuleSettings(Integer.parseInt(m.get("closeContactDays")), HealthColor.valueOf(m.get("closeContactColor")),
          Integer.parseInt(m.get("secondaryContactDays")), HealthColor.valueOf(m.get("secondaryContactColor")),
          HealthColor.valueOf(m.get("retestColor")), Integer.parseInt(m.get("highRiskArrivalDays")),
          HealthColor.valueOf(m.get("highRiskArrivalColor")), Integer.parseInt(m.get("mediumRiskArrivalDays")),
          HealthColor.valueOf(m.get("mediumRiskArrivalColor")), HealthColor.valueOf(m.get("declaredFeverColor")),
          HealthColor.valueOf(m.get("gridReportColor")));
      if (r.closeContactDays() < 1 || r.closeContactDays() > 60 || r.secondaryContactDays() < 1 || r.secondaryContactDays() > 60
          || r.highRiskArrivalDays() < 1 || r.highRiskArrivalDays() > 60 || r.mediumRiskArrivalDays() < 1 || r.mediumRiskArrivalDays() > 60) {
        throw ApiException.badRequest("INVALID_SETTING", name, "windows are 1–60 days");
      }
      return r;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("INVALID_SETTING", name, name + " must be " + (name.endsWith("Days") ? "a number of days" : "GREEN, YELLOW or RED"));
    }
  }
}
