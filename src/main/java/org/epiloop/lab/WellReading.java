package org.epiloop.lab;

import java.util.Objects;

/**
 * What the instrument read in one well. Results arrive either as JSON or as an instrument
 * export; both become a list of these, so interpretation does not care where they came from.
 *
 * @param well the plate position
 * @param ct the Ct values read there
 */
record WellReading(Well well, CtValues ct) {
  WellReading {
    Objects.requireNonNull(well, "well");
    Objects.requireNonNull(ct, "ct");
  }
}
