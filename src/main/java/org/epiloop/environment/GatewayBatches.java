package org.epiloop.environment;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.shared.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A sensor gateway's HTTP batch, taken in one transaction: the key's check, the readings, the
 * per-minute aggregates, the devices' last-seen times, the channels' state and the alerts it
 * raises or clears commit together or not at all. It used to be three transactions a batch (the
 * key's lookup, the rate-limit hit, the ingest), each with its own connection from the pool and
 * its own commit.
 *
 * <p>The rate-limit hit is the one write that still commits on its own (RateLimits takes a
 * connection of its small side pool for a hit inside a transaction): a refused batch must still
 * count against its gateway, or a gateway looping on a bad batch would never be slowed down.
 */
@Service
class GatewayBatches {

  /** One reading as the gateway's JSON has it, unchecked. */
  record ReadingIn(String device, String measure, String at, Double value) {}

  private final LabEnvironment environment;
  private final Readings readings;
  private final EnvironmentProperties properties;

  GatewayBatches(LabEnvironment environment, Readings readings, EnvironmentProperties properties) {
    this.environment = environment;
    this.readings = readings;
    this.properties = properties;
  }

  /**
   * Checks the key (401, 429) before the body (400, 422), as before: a stranger learns nothing
   * about what a batch should look like.
   */
  @Transactional
  Readings.Outcome receive(String key, List<ReadingIn> in) {
    String lab = environment.authenticateGateway(key);
    ApiException.required("readings", in);
    if (in.size() > properties.maxBatch()) {
      throw ApiException.badRequest("TOO_MANY", "readings", "At most " + properties.maxBatch() + " readings a batch");
    }
    List<Readings.Reading> batch = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) {
      ReadingIn r = in.get(i);
      String field = "readings[" + i + "]";
      if (r == null) {
        throw ApiException.badRequest("FIELD_REQUIRED", field, field + " is required");
      }
      batch.add(new Readings.Reading(ApiException.required(field + ".device", r.device()), Measure.parse(field + ".measure", r.measure()),
          instant(field + ".at", r.at()), ApiException.required(field + ".value", r.value())));
    }
    return readings.ingest(lab, batch);
  }

  static Instant instant(String field, String text) {
    ApiException.required(field, text);
    try {
      return ReadingTimes.parse(text);
    } catch (DateTimeParseException e) {
      throw ApiException.badRequest("INVALID_PARAMETER", field, field + " must be an instant like 2026-12-07T08:00:00Z");
    }
  }
}
