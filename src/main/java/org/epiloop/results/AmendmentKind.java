package org.epiloop.results;

/**
 * Why a released result is changed, as the proposing reviewer says; it decides the FHIR
 * DiagnosticReport status the province receives (ADR 0024).
 */
public enum AmendmentKind {
  /**
   * The released value was an error (a transcription or clerical slip, a mixed-up well, a wrong
   * plate map): the report is {@code corrected}.
   */
  CORRECTION,
  /**
   * The result itself changed on later work (a re-read, a failed control found afterwards, a
   * repeat): the report is {@code amended}.
   */
  REVISION
}
