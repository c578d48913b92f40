package org.epiloop.province;

import ca.uhn.fhir.context.FhirContext;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import org.epiloop.results.ResultStatus;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.hl7.fhir.r4.model.BooleanType;

/**
 * The city's FHIR R4 profile of a released PCR result, built with HAPI's model classes: one
 * transaction bundle per result revision holding the Patient, the Specimen (the tube), the
 * Observation (SARS-CoV-2 RNA, LOINC 94500-6, Ct values as components), the DiagnosticReport and
 * the lab's and site's Organizations.
 *
 * <p>Every entry is idempotent at the receiver: Patient, Specimen and Organizations are
 * conditional creates on their identifiers ({@code ifNoneExist}), Observation and
 * DiagnosticReport conditional updates ({@code PUT Type?identifier=…}) keyed by the result
 * (binding) id, so a bundle sent twice changes nothing and an amendment replaces the report in
 * place. The fullUrls are name-based UUIDs of those identifiers, so the same content always gives
 * the same bundle. Inbound bundles from partners (issue 16 item 2) use the same profile: the
 * constants here are its vocabulary.
 */
public final class ResultBundles {

  /** Patient identifiers: {@code urn:epiloop:id:<IdType>}, the document number as value. */
  public static final String PERSON_ID_SYSTEM_PREFIX = "urn:epiloop:id:";
  public static final String TUBE_SYSTEM = "urn:epiloop:tube";
  /** DiagnosticReport and Observation identifiers: the person result's key (binding id). */
  public static final String RESULT_SYSTEM = "urn:epiloop:result";
  public static final String LAB_SYSTEM = "urn:epiloop:lab";
  public static final String SITE_SYSTEM = "urn:epiloop:site";
  /** Bundle identifiers: {@code <binding id>/<revision>}. */
  public static final String DELIVERY_SYSTEM = "urn:epiloop:delivery";
  /** PCR targets without a LOINC code of their own (the internal control). */
  public static final String TARGET_SYSTEM = "urn:epiloop:target";
  /** Extensions of this profile: the sampling site of a specimen, whether the tube was a pool. */
  public static final String EXTENSION_BASE = "https://epiloop.org/fhir/StructureDefinition/";
  public static final String COLLECTION_SITE_EXTENSION = EXTENSION_BASE + "collection-site";
  public static final String POOLED_EXTENSION = EXTENSION_BASE + "pooled-specimen";

  public static final String LOINC = "http://loinc.org";
  public static final String SNOMED = "http://snomed.info/sct";
  /** SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory system specimen by NAA with probe detection. */
  public static final String SARS_COV_2_RNA = "94500-6";
  /** SARS-CoV-2 (COVID-19) ORF1ab region [Cycle Threshold #] in Specimen by NAA with probe detection. */
  public static final String CT_ORF1AB = "94511-3";
  /** SARS-CoV-2 (COVID-19) N gene [Cycle Threshold #] in Specimen by NAA with probe detection. */
  public static final String CT_N = "94510-5";
  static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
  static final String OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category";
  static final String DIAGNOSTIC_SERVICE = "http://terminology.hl7.org/CodeSystem/v2-0074";
  static final String DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason";
  static final String UCUM = "http://unitsofmeasure.org";

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private ResultBundles() {}

  /** Which DiagnosticReport status a revision goes out with. */
  public enum ReportStatus {
    /** As released. */
    FINAL(DiagnosticReport.DiagnosticReportStatus.FINAL, Observation.ObservationStatus.FINAL),
    /** Changed after release (the two-person amendment). */
    AMENDED(DiagnosticReport.DiagnosticReportStatus.AMENDED, Observation.ObservationStatus.AMENDED),
    /** Changed after release to correct an error of the reported value. */
    CORRECTED(DiagnosticReport.DiagnosticReportStatus.CORRECTED, Observation.ObservationStatus.CORRECTED);

    final DiagnosticReport.DiagnosticReportStatus report;
    final Observation.ObservationStatus observation;

    ReportStatus(DiagnosticReport.DiagnosticReportStatus report, Observation.ObservationStatus observation) {
      this.report = report;
      this.observation = observation;
    }
  }

  /**
   * Everything one bundle says.
   *
   * @param resultId the person result's key (binding id)
   * @param revision 0 as released, then one more per amendment
   * @param idType document type as in {@code identity.IdType} (e.g. {@code CN_ID})
   * @param idNumber document number
   * @param name the person's name
   * @param pooled whether the tube held several persons' swabs
   * @param status the person's result (a pool member of a positive pool is RECALLED)
   * @param issuedAt when this revision was released (the release, or the amendment's approval)
   * @param ctOrf1ab Ct values, null without amplification
   * @param note the amendment's reason, or null
   */
  public record Content(UUID resultId, int revision, ReportStatus reportStatus, String idType, String idNumber, String name,
      String tubeCode, boolean pooled, Instant sampledAt, String siteCode, String labCode, ResultStatus status, Instant issuedAt,
      Double ctOrf1ab, Double ctN, Double ctIc, String note) {}

  /** The HAPI context for R4 (thread-safe, shared). */
  public static FhirContext fhir() {
    return FHIR;
  }

  /** The bundle as JSON (HAPI's parser). */
  public static String json(Bundle bundle) {
    return FHIR.newJsonParser().encodeResourceToString(bundle);
  }

  /** The transaction bundle of one result revision. */
  public static Bundle transaction(Content c) {
    if (c.status() == ResultStatus.PENDING) {
      throw new IllegalArgumentException("A pending result is not sent");
    }
    Bundle bundle = new Bundle();
    bundle.setType(Bundle.BundleType.TRANSACTION);
    bundle.setIdentifier(new Identifier().setSystem(DELIVERY_SYSTEM).setValue(c.resultId() + "/" + c.revision()));

    Organization lab = organization(LAB_SYSTEM, c.labCode(), "Lab " + c.labCode());
    String labUrl = create(bundle, lab, LAB_SYSTEM, c.labCode());
    Organization site = organization(SITE_SYSTEM, c.siteCode(), "Sampling site " + c.siteCode());
    String siteUrl = create(bundle, site, SITE_SYSTEM, c.siteCode());

    String personSystem = PERSON_ID_SYSTEM_PREFIX + c.idType();
    Patient patient = new Patient();
    patient.addIdentifier().setSystem(personSystem).setValue(c.idNumber());
    patient.addName().setText(c.name());
    String patientUrl = create(bundle, patient, personSystem, c.idNumber());

    Specimen specimen = new Specimen();
    specimen.addIdentifier().setSystem(TUBE_SYSTEM).setValue(c.tubeCode());
    specimen.setStatus(Specimen.SpecimenStatus.AVAILABLE);
    specimen.setType(new CodeableConcept(new Coding(SNOMED, "258529004", "Throat swab")));
    // a pooled tube holds several persons' swabs: it has no single subject
    if (!c.pooled()) {
      specimen.setSubject(new Reference(patientUrl));
    }
    specimen.addExtension(POOLED_EXTENSION, new BooleanType(c.pooled()));
    specimen.getCollection().setCollected(new DateTimeType(Date.from(c.sampledAt())));
    specimen.getCollection().addExtension(COLLECTION_SITE_EXTENSION, new Reference(siteUrl));
    String specimenUrl = create(bundle, specimen, TUBE_SYSTEM, c.tubeCode());

    String resultKey = c.resultId().toString();
    CodeableConcept test = new CodeableConcept(new Coding(LOINC, SARS_COV_2_RNA,
        "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory system specimen by NAA with probe detection"));
    Observation observation = new Observation();
    observation.addIdentifier().setSystem(RESULT_SYSTEM).setValue(resultKey);
    observation.setStatus(c.reportStatus().observation);
    observation.addCategory(new CodeableConcept(new Coding(OBSERVATION_CATEGORY, "laboratory", "Laboratory")));
    observation.setCode(test);
    observation.setSubject(new Reference(patientUrl));
    observation.setEffective(new DateTimeType(Date.from(c.sampledAt())));
    observation.setIssued(Date.from(c.issuedAt()));
    observation.addPerformer(new Reference(labUrl));
    observation.setSpecimen(new Reference(specimenUrl));
    Finding finding = Finding.of(c.status());
    observation.setValue(finding.value());
    observation.addInterpretation(finding.interpretation());
    component(observation, new Coding(LOINC, CT_ORF1AB, "SARS-CoV-2 ORF1ab region Ct"), c.ctOrf1ab());
    component(observation, new Coding(LOINC, CT_N, "SARS-CoV-2 N gene Ct"), c.ctN());
    component(observation, new Coding(TARGET_SYSTEM, "IC", "Internal control Ct"), c.ctIc());
    if (c.note() != null) {
      observation.addNote().setText(c.note());
    }
    String observationUrl = update(bundle, observation, RESULT_SYSTEM, resultKey);

    DiagnosticReport report = new DiagnosticReport();
    report.addIdentifier().setSystem(RESULT_SYSTEM).setValue(resultKey);
    report.setStatus(c.reportStatus().report);
    report.addCategory(new CodeableConcept(new Coding(DIAGNOSTIC_SERVICE, "LAB", "Laboratory")));
    report.setCode(test.copy());
    report.setSubject(new Reference(patientUrl));
    report.setEffective(new DateTimeType(Date.from(c.sampledAt())));
    report.setIssued(Date.from(c.issuedAt()));
    report.addPerformer(new Reference(labUrl));
    report.addSpecimen(new Reference(specimenUrl));
    report.addResult(new Reference(observationUrl));
    report.addConclusionCode(finding.value().copy());
    if (c.note() != null) {
      report.setConclusion("Amended: " + c.note());
    }
    update(bundle, report, RESULT_SYSTEM, resultKey);
    return bundle;
  }

  /** The value and interpretation a person result is reported with. */
  private record Finding(CodeableConcept value, CodeableConcept interpretation) {
    static Finding of(ResultStatus status) {
      return switch (status) {
        case NEGATIVE -> new Finding(snomed("260415000", "Not detected"), interpretation("NEG", "Negative"));
        // a member of a positive pool: the pooled specimen was positive; the person is retested singly
        case POSITIVE, RECALLED -> new Finding(snomed("260373001", "Detected"), interpretation("POS", "Positive"));
        case RETEST -> new Finding(snomed("419984006", "Inconclusive"), interpretation("IND", "Indeterminate"));
        case PENDING -> throw new IllegalArgumentException("pending");
      };
    }

    private static CodeableConcept snomed(String code, String display) {
      return new CodeableConcept(new Coding(SNOMED, code, display));
    }

    private static CodeableConcept interpretation(String code, String display) {
      return new CodeableConcept(new Coding(INTERPRETATION, code, display));
    }
  }

  private static void component(Observation observation, Coding code, Double ct) {
    Observation.ObservationComponentComponent component = observation.addComponent().setCode(new CodeableConcept(code));
    if (ct == null) {
      component.setDataAbsentReason(new CodeableConcept(new Coding(DATA_ABSENT, "not-applicable", "Not Applicable"))
          .setText("no amplification"));
    } else {
      component.setValue(new Quantity().setValue(ct).setUnit("Ct").setSystem(UCUM).setCode("{Ct}"));
    }
  }

  private static Organization organization(String system, String code, String name) {
    Organization org = new Organization();
    org.addIdentifier().setSystem(system).setValue(code);
    org.setActive(true);
    org.setName(name);
    return org;
  }

  /** A conditional create: the receiver keeps the resource it already has with this identifier. */
  private static String create(Bundle bundle, Resource resource, String system, String value) {
    String url = fullUrl(resource, system, value);
    bundle.addEntry().setFullUrl(url).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType()).setIfNoneExist("identifier=" + token(system, value));
    return url;
  }

  /** A conditional update: the resource with this identifier is created or replaced. */
  private static String update(Bundle bundle, Resource resource, String system, String value) {
    String url = fullUrl(resource, system, value);
    bundle.addEntry().setFullUrl(url).setResource(resource).getRequest()
        .setMethod(Bundle.HTTPVerb.PUT).setUrl(resource.fhirType() + "?identifier=" + token(system, value));
    return url;
  }

  /** A token search parameter value, {@code system|value}, each part URL-encoded. */
  public static String token(String system, String value) {
    return URLEncoder.encode(system, StandardCharsets.UTF_8) + "|" + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String fullUrl(Resource resource, String system, String value) {
    return "urn:uuid:" + UUID.nameUUIDFromBytes((resource.fhirType() + "|" + system + "|" + value).getBytes(StandardCharsets.UTF_8));
  }
}
