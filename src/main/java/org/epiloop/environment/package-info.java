/**
 * LabEnvironment monitoring (L6): a lab's rooms and the devices in them (room sensors, freezers,
 * biosafety cabinets) report temperature, humidity and pressure difference — in batches over
 * HTTP from sensor gateways (each with a key of its own, bound to one lab) or through an MQTT
 * broker that Epiloop subscribes to. Readings are kept compactly (BRIN-indexed, written by COPY)
 * with per-minute aggregates for charts. Thresholds per room or device and measure: a reading
 * out of range for longer than the grace period is an excursion (start, peak, end), a device
 * silent for too long is a silent sensor; both raise an alert that closes when all is normal
 * again. See docs/adr/0027.
 */
package org.epiloop.environment;
