package org.epiloop.environment;

import java.util.Arrays;
import org.epiloop.shared.ApiException;

/** What a device measures. Stored by name, except in the readings table, which keeps {@link #id} (2 bytes a row). */
public enum Measure {
  /** Degrees Celsius. */
  TEMPERATURE(1, "°C"),
  /** Relative humidity, percent. */
  HUMIDITY(2, "%RH"),
  /** Pressure difference to the neighbouring room, pascal (negative: air flows in). */
  PRESSURE_DIFF(3, "Pa");

  final short id;
  final String unit;

  Measure(int id, String unit) {
    this.id = (short) id;
    this.unit = unit;
  }

  static Measure of(short id) {
    return values()[id - 1];
  }

  /** Parses a measure sent by a gateway or a person; 400 naming the field otherwise. */
  static Measure parse(String field, String raw) {
    String text = ApiException.required(field, raw);
    return Arrays.stream(values()).filter(m -> m.name().equals(text)).findFirst()
        .orElseThrow(() -> ApiException.badRequest("UNKNOWN_MEASURE", field, field + " must be TEMPERATURE, HUMIDITY or PRESSURE_DIFF"));
  }
}
