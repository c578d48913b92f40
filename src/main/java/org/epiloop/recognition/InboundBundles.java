package org.epiloop.recognition;

import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.IdNumbers;
import org.epiloop.identity.IdType;
import org.epiloop.identity.Persons;
import org.epiloop.platform.EpiloopProperties;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultStatus;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Specimen;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Accepts a partner's bundle of outside results: parsed strictly, validated by HAPI's validator
 * (errors refuse it), then every DiagnosticReport checked against the exchange profile — the
 * sender's identifier, LOINC 94500-6, status final, a Patient with a known document type and a
 * valid number, a name, sampling and release times, an Observation interpreted NEG or POS, the
 * performing lab. All or nothing: one bad report refuses the bundle, naming where. Accepted
 * results are stored once per sender identifier (a bundle sent again stores nothing).
 */
@Service
class InboundBundles {

  /** More than this many reports in one bundle: send several bundles. */
  static final int MAX_REPORTS = 500;
  /** About 5,000 characters per report: a bundle of MAX_REPORTS fits. */
  static final int MAX_BODY = 4_000_000;

  private final Persons persons;
  private final PersonResults results;
  private final AuditTrail audit;
  private final EpiloopProperties properties;
  private final Clock clock;

  InboundBundles(Persons persons, PersonResults results, AuditTrail audit, EpiloopProperties properties, Clock clock) {
    this.persons = persons;
    this.results = results;
    this.audit = audit;
    this.properties = properties;
    this.clock = clock;
  }

  /** One checked report, ready to store. */
  record Checked(String where, Persons.Document document, String sourceSystem, String sourceValue, String labCode, String labName,
      String siteCode, Instant sampledAt, Instant reportedAt, ResultStatus status) {}

  /** What became of one report: stored now, or stored before (same sender identifier). */
  record Outcome(UUID resultId, boolean created, ResultStatus status) {}

  @Transactional
  List<Outcome> accept(Actor partner, String body) {
    Bundle bundle = parse(body);
    validate(bundle);
    List<Checked> checked = check(bundle);
    List<Outcome> out = new ArrayList<>();
    for (Checked c : checked) {
      Persons.PersonView person;
      try {
        person = persons.findOrRegister(partner, c.document(), null);
      } catch (ApiException e) {
        if ("NAME_MISMATCH".equals(e.code())) {
          throw FhirProblem.invalid(c.where() + ".subject.resolve().name",
              "The patient's name does not match the person registered with this document");
        }
        throw e;
      }
      PersonResults.Received r = results.receiveExternal(new PersonResults.ExternalResult(UUID.randomUUID(), person.personId(),
          partner.name(), c.sourceSystem(), c.sourceValue(), c.labCode(), c.labName(), c.siteCode(), c.sampledAt(), c.reportedAt(),
          c.status(), clock.instant()));
      if (r.created()) {
        audit.record(partner, "EXTERNAL_RESULT_RECEIVED", "person", person.personId().toString(),
            "result " + r.result().id() + " from lab " + c.labCode() + " (" + c.sourceSystem() + "|" + c.sourceValue() + ")");
      }
      out.add(new Outcome(r.result().id(), r.created(), r.result().status()));
    }
    return out;
  }

  private static Bundle parse(String body) {
    if (body == null || body.isBlank()) {
      throw new FhirProblem(HttpStatus.BAD_REQUEST, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR,
          OperationOutcome.IssueType.STRUCTURE, "FHIR_MALFORMED", "Bundle", "The request has no body; send a FHIR JSON Bundle"));
    }
    if (body.length() > MAX_BODY) {
      throw new FhirProblem(HttpStatus.BAD_REQUEST, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR,
          OperationOutcome.IssueType.TOOLONG, "FHIR_MALFORMED", "Bundle", "At most " + MAX_BODY + " characters per bundle; send several"));
    }
    IBaseResource parsed;
    try {
      parsed = Fhir.strictParser().parseResource(body);
    } catch (DataFormatException | IllegalArgumentException | IllegalStateException | ClassCastException e) {
      throw new FhirProblem(HttpStatus.BAD_REQUEST, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR,
          OperationOutcome.IssueType.STRUCTURE, "FHIR_MALFORMED", null, "Not a FHIR JSON resource: " + clip(e.getMessage())));
    }
    if (!(parsed instanceof Bundle bundle)) {
      throw FhirProblem.invalid("resourceType", "Send a Bundle, not a " + parsed.fhirType());
    }
    if (bundle.getType() != Bundle.BundleType.TRANSACTION && bundle.getType() != Bundle.BundleType.COLLECTION) {
      throw FhirProblem.invalid("Bundle.type", "Bundle.type must be transaction or collection");
    }
    return bundle;
  }

  /** HAPI's validator: any ERROR or FATAL refuses the bundle, every one named in the outcome. */
  private static void validate(Bundle bundle) {
    ValidationResult result = Fhir.Validator.get().validateWithResult(bundle);
    OperationOutcome oo = new OperationOutcome();
    for (SingleValidationMessage m : result.getMessages()) {
      if (m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL) {
        Fhir.issue(oo, OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueType.INVALID, "FHIR_INVALID",
            m.getLocationString(), m.getMessage());
      }
    }
    if (oo.hasIssue()) {
      throw new FhirProblem(HttpStatus.UNPROCESSABLE_CONTENT, oo);
    }
  }

  private List<Checked> check(Bundle bundle) {
    Map<String, Resource> byRef = new HashMap<>();
    List<Integer> reports = new ArrayList<>();
    for (int i = 0; i < bundle.getEntry().size(); i++) {
      Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
      Resource r = e.getResource();
      if (r == null) {
        continue;
      }
      if (e.hasFullUrl()) {
        byRef.put(e.getFullUrl(), r);
      }
      if (r.hasIdElement() && r.getIdElement().hasIdPart()) {
        byRef.put(r.fhirType() + "/" + r.getIdElement().getIdPart(), r);
      }
      if (r instanceof DiagnosticReport) {
        reports.add(i);
      }
    }
    if (reports.isEmpty()) {
      throw FhirProblem.invalid("Bundle.entry", "The bundle holds no DiagnosticReport");
    }
    if (reports.size() > MAX_REPORTS) {
      throw FhirProblem.invalid("Bundle.entry", "At most " + MAX_REPORTS + " DiagnosticReports per bundle");
    }
    List<Checked> out = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i : reports) {
      Checked c = checkReport("Bundle.entry[" + i + "].resource", (DiagnosticReport) bundle.getEntry().get(i).getResource(), byRef);
      if (!seen.add(c.sourceSystem() + "|" + c.sourceValue())) {
        throw FhirProblem.invalid("Bundle.entry[" + i + "].resource.identifier", "Two reports of the bundle have the same identifier");
      }
      out.add(c);
    }
    return out;
  }

  private Checked checkReport(String at, DiagnosticReport report, Map<String, Resource> byRef) {
    Identifier source = report.getIdentifier().stream().filter(id -> id.hasSystem() && id.hasValue()).findFirst()
        .orElseThrow(() -> FhirProblem.invalid(at + ".identifier",
            "DiagnosticReport.identifier with a system and a value (the sender's own id of the result) is required"));
    if (source.getSystem().length() > 200 || source.getValue().length() > 200) {
      throw FhirProblem.invalid(at + ".identifier", "The identifier's system and value are at most 200 characters each");
    }
    if (report.getStatus() != DiagnosticReport.DiagnosticReportStatus.FINAL) {
      throw FhirProblem.invalid(at + ".status", "Only final results are accepted (status final)");
    }
    requireTest(at + ".code", report.getCode());
    Patient patient = resolve(at + ".subject", report.getSubject(), byRef, Patient.class);
    Persons.Document document = document(at + ".subject.resolve()", patient);
    if (!report.hasIssued() || report.getIssued() == null) {
      throw FhirProblem.invalid(at + ".issued", "DiagnosticReport.issued (when the result was released) is required");
    }
    Instant reported = report.getIssued().toInstant();
    if (report.getResult().isEmpty()) {
      throw FhirProblem.invalid(at + ".result", "DiagnosticReport.result must reference the Observation");
    }
    Observation observation = resolve(at + ".result[0]", report.getResultFirstRep(), byRef, Observation.class);
    String obsAt = at + ".result[0].resolve()";
    if (observation.getStatus() != Observation.ObservationStatus.FINAL) {
      throw FhirProblem.invalid(obsAt + ".status", "Only final observations are accepted (status final)");
    }
    requireTest(obsAt + ".code", observation.getCode());
    ResultStatus status = interpretation(obsAt + ".interpretation", observation);
    Instant sampled = sampledAt(at, report, observation, byRef);
    if (sampled.isAfter(reported) || reported.isAfter(clock.instant().plusSeconds(300))) {
      throw FhirProblem.invalid(at + ".issued", "The result must be released after sampling and not in the future");
    }
    Organization lab = performer(at, report, observation, byRef);
    String labCode = lab.getIdentifier().stream().filter(id -> Fhir.LAB_SYSTEM.equals(id.getSystem()) && id.hasValue())
        .map(Identifier::getValue).findFirst()
        .orElseGet(() -> lab.getIdentifier().stream().filter(Identifier::hasValue).map(id -> id.getSystem() + "|" + id.getValue())
            .findFirst().orElseThrow(() -> FhirProblem.invalid(at + ".performer", "The performing Organization needs an identifier ("
                + Fhir.LAB_SYSTEM + ")")));
    String siteCode = siteOf(report, byRef);
    return new Checked(at, document, source.getSystem(), source.getValue(), clip(labCode, 200),
        lab.hasName() ? clip(lab.getName(), 200) : null, siteCode, sampled, reported, status);
  }

  private static void requireTest(String at, CodeableConcept code) {
    boolean ok = code.getCoding().stream().anyMatch(c -> Fhir.LOINC.equals(c.getSystem()) && Fhir.SARS_COV_2_RNA.equals(c.getCode()));
    if (!ok) {
      throw FhirProblem.invalid(at, "The code must be LOINC " + Fhir.SARS_COV_2_RNA + " (SARS-CoV-2 RNA by NAA)");
    }
  }

  private static ResultStatus interpretation(String at, Observation o) {
    for (CodeableConcept cc : o.getInterpretation()) {
      for (Coding c : cc.getCoding()) {
        if (Fhir.INTERPRETATION.equals(c.getSystem())) {
          switch (String.valueOf(c.getCode())) {
            case "NEG":
              return ResultStatus.NEGATIVE;
            case "POS":
              return ResultStatus.POSITIVE;
            default:
              throw FhirProblem.invalid(at, "Only NEG or POS results are accepted from outside (an indeterminate result is retested "
                  + "where it was sampled), not " + c.getCode());
          }
        }
      }
    }
    throw FhirProblem.invalid(at, "The interpretation (" + Fhir.INTERPRETATION + ": NEG or POS) is required");
  }

  private Persons.Document document(String at, Patient patient) {
    int index = 0;
    for (Identifier id : patient.getIdentifier()) {
      if (id.hasSystem() && id.getSystem().startsWith(Fhir.PERSON_SYSTEM_PREFIX)) {
        String where = at + ".identifier[" + index + "]";
        IdType type;
        String number;
        try {
          type = IdNumbers.type("idType", id.getSystem().substring(Fhir.PERSON_SYSTEM_PREFIX.length()));
        } catch (ApiException e) {
          throw FhirProblem.invalid(where + ".system", "Unknown document type in " + id.getSystem()
              + "; one of CN_ID, PASSPORT, HK_MO_PERMIT, TW_PERMIT, FOREIGN_PR");
        }
        try {
          number = IdNumbers.normalize(type, "idNumber", id.getValue(), LocalDate.now(clock.withZone(properties.zone())));
        } catch (ApiException e) {
          throw FhirProblem.invalid(where + ".value", "Not a valid " + type + " number");
        }
        String name = patient.getName().isEmpty() ? null : patient.getNameFirstRep().hasText() ? patient.getNameFirstRep().getText()
            : (patient.getNameFirstRep().getFamily() == null ? "" : patient.getNameFirstRep().getFamily())
                + patient.getNameFirstRep().getGivenAsSingleString();
        if (name == null || name.isBlank() || name.length() > 64 || name.codePoints().anyMatch(Character::isISOControl)) {
          throw FhirProblem.invalid(at + ".name", "The patient's name (1–64 printable characters) is required");
        }
        return new Persons.Document(type, number, name.strip().replaceAll("\\s+", " "));
      }
      index++;
    }
    throw FhirProblem.invalid(at + ".identifier", "The patient needs an identifier with system " + Fhir.PERSON_SYSTEM_PREFIX
        + "<document type> and the document number");
  }

  private static Instant sampledAt(String at, DiagnosticReport report, Observation o, Map<String, Resource> byRef) {
    if (report.hasEffectiveDateTimeType() && report.getEffectiveDateTimeType().getValue() != null) {
      return report.getEffectiveDateTimeType().getValue().toInstant();
    }
    if (o.hasEffectiveDateTimeType() && o.getEffectiveDateTimeType().getValue() != null) {
      return o.getEffectiveDateTimeType().getValue().toInstant();
    }
    if (report.hasSpecimen()) {
      Resource s = byRef.get(report.getSpecimenFirstRep().getReference());
      if (s instanceof Specimen specimen && specimen.getCollection().hasCollectedDateTimeType()
          && specimen.getCollection().getCollectedDateTimeType().getValue() != null) {
        return specimen.getCollection().getCollectedDateTimeType().getValue().toInstant();
      }
    }
    throw FhirProblem.invalid(at + ".effective", "The sampling time (effectiveDateTime, or the specimen's collection time) is required");
  }

  private static Organization performer(String at, DiagnosticReport report, Observation o, Map<String, Resource> byRef) {
    List<Reference> refs = new ArrayList<>(report.getPerformer());
    refs.addAll(o.getPerformer());
    for (Reference r : refs) {
      if (byRef.get(r.getReference()) instanceof Organization org) {
        return org;
      }
    }
    throw FhirProblem.invalid(at + ".performer", "The performing lab (an Organization in the bundle) is required");
  }

  private static String siteOf(DiagnosticReport report, Map<String, Resource> byRef) {
    if (!report.hasSpecimen() || !(byRef.get(report.getSpecimenFirstRep().getReference()) instanceof Specimen specimen)) {
      return null;
    }
    for (org.hl7.fhir.r4.model.Extension ext : specimen.getCollection().getExtension()) {
      if (ext.getValue() instanceof Reference ref && byRef.get(ref.getReference()) instanceof Organization site) {
        return site.getIdentifier().stream().filter(id -> Fhir.SITE_SYSTEM.equals(id.getSystem()) && id.hasValue())
            .map(id -> clip(id.getValue(), 200)).findFirst().orElse(null);
      }
    }
    return null;
  }

  private static <T extends Resource> T resolve(String at, Reference ref, Map<String, Resource> byRef, Class<T> type) {
    Resource r = ref == null || !ref.hasReference() ? null : byRef.get(ref.getReference());
    if (!type.isInstance(r)) {
      throw FhirProblem.invalid(at, "Must reference a " + type.getSimpleName() + " in the bundle (by fullUrl)");
    }
    return type.cast(r);
  }

  private static String clip(String s) {
    return clip(s, 300);
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return "";
    }
    return s.length() <= max ? s : s.substring(0, max);
  }
}
