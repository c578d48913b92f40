package org.epiloop.recognition;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Date;
import java.util.List;
import java.util.Optional;
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
import org.epiloop.shared.RateLimits;
import org.epiloop.shared.Role;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The FHIR read API: released results as DiagnosticReports (with the Observation and the lab
 * contained). Scope (ADR 0025): an OFFICIAL reads the whole city; a PARTNER reads only persons
 * whose results it has itself sent (a hospital that referred a patient follows up on them; it
 * cannot browse the city). Out of scope answers exactly as "nothing found", so a partner cannot
 * probe who is registered. Every read is audited and counted against a per-reader limit.
 */
@Service
class ReportReads {

  static final RateLimits.Limit READS = new RateLimits.Limit("fhir-read", 120, Duration.ofMinutes(1));

  private final Persons persons;
  private final PersonResults results;
  private final AuditTrail audit;
  private final RateLimits limits;
  private final EpiloopProperties properties;
  private final Clock clock;

  ReportReads(Persons persons, PersonResults results, AuditTrail audit, RateLimits limits, EpiloopProperties properties, Clock clock) {
    this.persons = persons;
    this.results = results;
    this.audit = audit;
    this.limits = limits;
    this.properties = properties;
    this.clock = clock;
  }

  @Transactional
  Bundle search(Actor reader, String patientIdentifier) {
    limit(reader);
    String[] parts = patientIdentifier == null ? new String[0] : patientIdentifier.split("\\|", 2);
    if (parts.length != 2 || !parts[0].startsWith(Fhir.PERSON_SYSTEM_PREFIX)) {
      throw new FhirProblem(HttpStatus.BAD_REQUEST, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueType.INVALID,
          "INVALID_PARAMETER", "patient.identifier", "patient.identifier must be " + Fhir.PERSON_SYSTEM_PREFIX + "<document type>|<number>"));
    }
    IdType type;
    String number;
    try {
      type = IdNumbers.type("patient.identifier", parts[0].substring(Fhir.PERSON_SYSTEM_PREFIX.length()));
      number = IdNumbers.normalize(type, "patient.identifier", parts[1], LocalDate.now(clock.withZone(properties.zone())));
    } catch (ApiException e) {
      throw new FhirProblem(HttpStatus.BAD_REQUEST, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueType.INVALID,
          e.code(), "patient.identifier", e.getMessage()));
    }
    Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
    bundle.setId(UUID.randomUUID().toString());
    Optional<UUID> person = persons.findByDocument(type, number);
    if (person.isEmpty() || !mayRead(reader, person.get())) {
      audit.record(reader, "FHIR_SEARCH", "person", person.map(UUID::toString).orElse("none"),
          "DiagnosticReport search by " + type + " number: " + (person.isEmpty() ? "nobody" : "out of scope"));
      return bundle.setTotal(0);
    }
    Identifier subject = new Identifier().setSystem(parts[0]).setValue(number);
    for (PersonResults.LocalResult r : results.localOf(person.get())) {
      add(bundle, local(r, subject));
    }
    for (PersonResults.ExternalResult r : results.externalOf(person.get())) {
      add(bundle, external(r, subject));
    }
    bundle.setTotal(bundle.getEntry().size());
    audit.record(reader, "FHIR_SEARCH", "person", person.get().toString(), "DiagnosticReport search: " + bundle.getTotal() + " reports");
    return bundle;
  }

  /** A refusal keeps its audit record and its count against the limit: probing is recorded too. */
  @Transactional(noRollbackFor = FhirProblem.class)
  DiagnosticReport read(Actor reader, UUID id) {
    limit(reader);
    Optional<PersonResults.LocalResult> local = results.local(id);
    Optional<PersonResults.ExternalResult> external = local.isPresent() ? Optional.empty() : results.external(id);
    UUID person = local.map(PersonResults.LocalResult::personId).or(() -> external.map(PersonResults.ExternalResult::personId))
        .orElse(null);
    if (person == null || !mayRead(reader, person)) {
      audit.record(reader, "FHIR_READ", "result", id.toString(), person == null ? "no such report" : "out of scope");
      throw new FhirProblem(HttpStatus.NOT_FOUND, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueType.NOTFOUND,
          "REPORT_NOT_FOUND", null, "No DiagnosticReport " + id + " that you may read"));
    }
    audit.record(reader, "FHIR_READ", "person", person.toString(), "DiagnosticReport " + id);
    Persons.PersonView view = persons.view(person).orElseThrow();
    Identifier subject = new Identifier().setSystem(Fhir.PERSON_SYSTEM_PREFIX + view.idType().name());
    DiagnosticReport report = local.isPresent() ? local(local.get(), subject) : external(external.get(), subject);
    // by id the reader did not give the number: the subject is shown masked
    report.getSubject().setIdentifier(null).setDisplay(view.nameMasked() + " " + view.idMasked());
    return report;
  }

  private boolean mayRead(Actor reader, UUID person) {
    return reader.role() == Role.OFFICIAL || (reader.role() == Role.PARTNER && results.sentBy(reader.name(), person));
  }

  private void limit(Actor reader) {
    RateLimits.Decision d = limits.hit(READS, reader.name());
    if (!d.allowed()) {
      throw new FhirProblem(HttpStatus.TOO_MANY_REQUESTS, Fhir.outcome(OperationOutcome.IssueSeverity.ERROR,
          OperationOutcome.IssueType.THROTTLED, "RATE_LIMITED", null, "Too many reads; try again in " + d.retryAfter().toSeconds() + " s"));
    }
  }

  private static void add(Bundle bundle, DiagnosticReport r) {
    bundle.addEntry().setFullUrl("DiagnosticReport/" + r.getIdElement().getIdPart()).setResource(r)
        .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
  }

  private static DiagnosticReport local(PersonResults.LocalResult r, Identifier subject) {
    DiagnosticReport report = report(r.bindingId(), r.status(), r.sampledAt(), r.reportedAt(), r.labCode(), null, subject);
    return report;
  }

  private static DiagnosticReport external(PersonResults.ExternalResult r, Identifier subject) {
    DiagnosticReport report = report(r.id(), r.status(), r.sampledAt(), r.reportedAt(), r.labCode(), r.labName(), subject);
    // the sender's own identifier: where the result came from
    report.addIdentifier().setUse(Identifier.IdentifierUse.SECONDARY).setSystem(r.sourceSystem()).setValue(r.sourceValue())
        .setAssigner(new Reference().setDisplay(r.partner()));
    return report;
  }

  private static DiagnosticReport report(UUID id, ResultStatus status, java.time.Instant sampled, java.time.Instant reported,
      String labCode, String labName, Identifier subject) {
    CodeableConcept test = new CodeableConcept(new Coding(Fhir.LOINC, Fhir.SARS_COV_2_RNA,
        "SARS-CoV-2 (COVID-19) RNA [Presence] in Respiratory system specimen by NAA with probe detection"));
    Organization lab = new Organization();
    lab.setId("lab");
    lab.addIdentifier().setSystem(Fhir.LAB_SYSTEM).setValue(labCode);
    if (labName != null) {
      lab.setName(labName);
    }
    Observation obs = new Observation();
    obs.setId("obs");
    obs.addIdentifier().setSystem(Fhir.RESULT_SYSTEM).setValue(id.toString());
    obs.setStatus(Observation.ObservationStatus.FINAL);
    obs.setCode(test.copy());
    obs.setSubject(new Reference().setIdentifier(subject.copy()));
    obs.setEffective(new DateTimeType(Date.from(sampled)));
    obs.setIssued(Date.from(reported));
    obs.addPerformer(new Reference("#lab"));
    obs.addInterpretation(interpretation(status));
    DiagnosticReport report = new DiagnosticReport();
    report.setId(id.toString());
    report.addIdentifier().setSystem(Fhir.RESULT_SYSTEM).setValue(id.toString());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(test);
    report.setSubject(new Reference().setIdentifier(subject.copy()));
    report.setEffective(new DateTimeType(Date.from(sampled)));
    report.setIssued(Date.from(reported));
    report.addPerformer(new Reference("#lab"));
    report.addResult(new Reference("#obs"));
    report.addContained(lab);
    report.addContained(obs);
    return report;
  }

  private static CodeableConcept interpretation(ResultStatus status) {
    return switch (status) {
      case NEGATIVE -> new CodeableConcept(new Coding(Fhir.INTERPRETATION, "NEG", "Negative"));
      case POSITIVE, RECALLED -> new CodeableConcept(new Coding(Fhir.INTERPRETATION, "POS", "Positive"));
      default -> new CodeableConcept(new Coding(Fhir.INTERPRETATION, "IND", "Indeterminate"));
    };
  }
}
