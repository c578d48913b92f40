/**
 * Lab quality (L6): control materials and lots with target values, every run's control Ct values
 * captured at import and judged by Westgard multi-rules (a rejection holds the run until a
 * reviewer records a corrective action), reagent and consumable lots with stock consumed per
 * run, and the lab's instruments with calibration and maintenance dates. The lab module calls
 * the facade {@link org.epiloop.labquality.LabQuality} when it plates, imports and releases a
 * run (ADR 0026); low stock, near expiry and due calibration are computed alerts.
 */
package org.epiloop.labquality;
