package org.epiloop.monitoring;

import java.util.List;
import org.epiloop.shared.ApiException;

/** Symptoms a person can declare or note in a home-observation diary; stored by name. */
public enum Symptom {
  FEVER,
  COUGH,
  SORE_THROAT,
  FATIGUE,
  SHORTNESS_OF_BREATH,
  LOSS_OF_TASTE_OR_SMELL,
  DIARRHEA,
  MUSCLE_ACHE;

  /** Parses a list of names; 400 {@code INVALID_SYMPTOM} naming the field for an unknown one. */
  public static List<Symptom> parse(String field, List<String> names) {
    if (names == null) {
      return List.of();
    }
    if (names.size() > values().length) {
      throw ApiException.badRequest("INVALID_SYMPTOM", field, "at most " + values().length + " symptoms");
    }
    return names.stream().map(n -> {
      try {
        return valueOf(ApiException.required(field, n));
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("INVALID_SYMPTOM", field, "symptoms are " + List.of(values()));
      }
    }).distinct().toList();
  }
}
