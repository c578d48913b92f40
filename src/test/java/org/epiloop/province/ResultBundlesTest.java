package org.epiloop.province;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.validation.FhirValidator;
import java.time.Instant;
import java.util.UUID;
import org.epiloop.results.ResultStatus;
import org.epiloop.support.ProvinceReceiver;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Specimen;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The city's FHIR profile: bundles valid by HAPI's validator, stable, idempotent by construction. */
class ResultBundlesTest {

  private static FhirValidator validator;

  @BeforeAll
  static void validator() {
    validator = ProvinceReceiver.validator();
  }

  static ResultBundles.Content content(ResultStatus status, boolean pooled, ResultBundles.ReportStatus report, String note) {
    return new ResultBundles.Content(UUID.fromString("3f1c6a3e-8a53-4d0e-9c1e-5f0e6f6d2a11"), report == ResultBundles.ReportStatus.FINAL ? 0 : 1,
        report, "CN_ID", "11010519491231002X", "张三", "SQ-T0000001", pooled, Instant.parse("2026-12-07T01:30:00Z"), "SQ-S01", "SQ-LAB1",
        status, Instant.parse("2026-12-07T07:10:00Z"), status == ResultStatus.NEGATIVE ? null : 24.5,
        status == ResultStatus.NEGATIVE ? null : 26.1, 28.0, note);
  }

  @Test
  void everyKindOfResultValidates() {
    for (ResultStatus status : new ResultStatus[] {ResultStatus.NEGATIVE, ResultStatus.POSITIVE, ResultStatus.RECALLED, ResultStatus.RETEST}) {
      for (boolean pooled : new boolean[] {true, false}) {
        Bundle bundle = ResultBundles.transaction(content(status, pooled, ResultBundles.ReportStatus.FINAL, null));
        assertThat(ProvinceReceiver.errors(validator, bundle)).as(status + " pooled=" + pooled).isEmpty();
      }
    }
    Bundle amended = ResultBundles.transaction(content(ResultStatus.POSITIVE, false, ResultBundles.ReportStatus.AMENDED, "sample swap"));
    assertThat(ProvinceReceiver.errors(validator, amended)).isEmpty();
  }

  @Test
  void aBundleSaysWhatTheProfileSays() {
    Bundle bundle = ResultBundles.transaction(content(ResultStatus.POSITIVE, false, ResultBundles.ReportStatus.AMENDED, "sample swap"));
    assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
    assertThat(bundle.getEntry()).extracting(e -> e.getResource().fhirType())
        .containsExactly("Organization", "Organization", "Patient", "Specimen", "Observation", "DiagnosticReport");
    DiagnosticReport report = (DiagnosticReport) bundle.getEntry().get(5).getResource();
    assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.AMENDED);
    assertThat(report.getIdentifierFirstRep().getSystem()).isEqualTo("urn:epiloop:result");
    assertThat(bundle.getEntry().get(5).getRequest().getMethod()).isEqualTo(Bundle.HTTPVerb.PUT);
    assertThat(bundle.getEntry().get(5).getRequest().getUrl())
        .isEqualTo("DiagnosticReport?identifier=urn%3Aepiloop%3Aresult|3f1c6a3e-8a53-4d0e-9c1e-5f0e6f6d2a11");
    assertThat(bundle.getEntry().get(2).getRequest().getIfNoneExist()).isEqualTo("identifier=urn%3Aepiloop%3Aid%3ACN_ID|11010519491231002X");
    Observation obs = (Observation) bundle.getEntry().get(4).getResource();
    assertThat(obs.getCode().getCodingFirstRep().getCode()).isEqualTo("94500-6");
    assertThat(obs.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("POS");
    assertThat(obs.getComponent()).extracting(c -> c.getCode().getCodingFirstRep().getCode()).containsExactly("94511-3", "94510-5", "IC");
    assertThat(obs.getComponent().get(0).getValueQuantity().getValue().doubleValue()).isEqualTo(24.5);
    Specimen single = (Specimen) bundle.getEntry().get(3).getResource();
    assertThat(single.getSubject().getReference()).isEqualTo(bundle.getEntry().get(2).getFullUrl());
    Specimen pool = (Specimen) ResultBundles.transaction(content(ResultStatus.RECALLED, true, ResultBundles.ReportStatus.FINAL, null))
        .getEntry().get(3).getResource();
    assertThat(pool.hasSubject()).as("a pool has no single subject").isFalse();
  }

  @Test
  void theSameContentGivesTheSameBundle() {
    ResultBundles.Content c = content(ResultStatus.NEGATIVE, true, ResultBundles.ReportStatus.FINAL, null);
    assertThat(ResultBundles.json(ResultBundles.transaction(c))).isEqualTo(ResultBundles.json(ResultBundles.transaction(c)));
  }
}
