package org.epiloop.recognition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.context.FhirContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.epiloop.support.Api;
import org.epiloop.support.Ids;
import org.epiloop.support.IntegrationTest;
import org.epiloop.support.Residents;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The FHIR exchange with partners (ADR 0025): bundles of outside results built with HAPI's model
 * classes, posted as a PARTNER; accepted once, counted for the health code and venue admission
 * with their source; refused with an OperationOutcome naming the problem; read back through the
 * FHIR read API within each reader's scope, every read audited.
 */
class FhirExchangeApiTest extends IntegrationTest {

  static final FhirContext FHIR = FhirContext.forR4Cached();
  static final String FHIR_JSON = "application/fhir+json";

  /** One outside result in the exchange profile. */
  record Outside(String system, String value, String idType, String idNumber, String name, String interpretation, String loinc,
      Instant sampledAt, Instant issuedAt) {}

  static Bundle bundle(Outside o) {
    Bundle b = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    Patient patient = new Patient();
    patient.addIdentifier().setSystem("urn:epiloop:id:" + o.idType()).setValue(o.idNumber());
    patient.addName().setText(o.name());
    String patientUrl = add(b, patient);
    Organization lab = new Organization();
    lab.addIdentifier().setSystem("urn:epiloop:lab").setValue("NB-LAB-1");
    lab.setName("邻市第一医院检验科");
    String labUrl = add(b, lab);
    CodeableConcept test = new CodeableConcept(new Coding("http://loinc.org", o.loinc(), "SARS-CoV-2 RNA NAA+probe"));
    Observation obs = new Observation();
    obs.addIdentifier().setSystem(o.system()).setValue(o.value() + "-obs");
    obs.setStatus(Observation.ObservationStatus.FINAL);
    obs.setCode(test);
    obs.setSubject(new Reference(patientUrl));
    obs.setEffective(new DateTimeType(Date.from(o.sampledAt())));
    obs.setIssued(Date.from(o.issuedAt()));
    obs.addPerformer(new Reference(labUrl));
    obs.addInterpretation(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
        o.interpretation(), o.interpretation())));
    String obsUrl = add(b, obs);
    DiagnosticReport report = new DiagnosticReport();
    report.addIdentifier().setSystem(o.system()).setValue(o.value());
    report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
    report.setCode(test.copy());
    report.setSubject(new Reference(patientUrl));
    report.setEffective(new DateTimeType(Date.from(o.sampledAt())));
    report.setIssued(Date.from(o.issuedAt()));
    report.addPerformer(new Reference(labUrl));
    report.addResult(new Reference(obsUrl));
    add(b, report);
    return b;
  }

  private static String add(Bundle b, Resource r) {
    String url = "urn:uuid:" + UUID.randomUUID();
    b.addEntry().setFullUrl(url).setResource(r).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType());
    return url;
  }

  static String json(Bundle b) {
    return FHIR.newJsonParser().encodeResourceToString(b);
  }

  private Outside negative(String idNumber, String name) {
    Instant now = clock.instant();
    return new Outside("https://lab.neighbour.example/results", "R-" + UUID.randomUUID(), "CN_ID", idNumber, name, "NEG", "94500-6",
        now.minus(Duration.ofHours(6)), now.minus(Duration.ofHours(1)));
  }

  /** The OperationOutcome of a refusal, parsed by HAPI; fails when the body is anything else. */
  static OperationOutcome outcome(Api.Res r) {
    assertThat(r.contentType()).startsWith(FHIR_JSON);
    return FHIR.newJsonParser().parseResource(OperationOutcome.class, r.text());
  }

  @Test
  void anOutsideNegativeIsStoredOnceAndCountsForTheCodeAndTheVenueWithItsSource() {
    Api partner = staff("PARTNER", null, null);
    Api family = Residents.login(api(), admin(), Ids.phone());
    Corner c = corner();
    String idNumber = Ids.next();
    String personId = Residents.addNewPerson(family, admin(), idNumber, "张外检", c.district());
    Api manager = staff("VENUE_MANAGER", null, null);
    String clinic = ok(manager.post("/api/v1/venues", Api.obj("name", "社区诊所", "districtCode", c.district(), "kind", "CLINIC",
        "latitude", 33.97, "longitude", 118.28, "negativeTestWithinHours", 48)), 201).str("venueToken");
    assertThat(ok(family.post("/api/v1/resident/persons/" + personId + "/check-ins", Map.of("venueToken", clinic)), 200)
        .json().path("admitted").asBoolean()).as("no negative yet").isFalse();

    // sampled after the person joined the account (an account sees samplings from the link on)
    clock.advance(Duration.ofHours(7));
    Outside result = negative(idNumber, "张外检");
    String body = json(bundle(result));
    Api.Res first = ok(partner.postRaw("/fhir/Bundle", FHIR_JSON, body), 200);
    assertThat(first.contentType()).startsWith(FHIR_JSON);
    Bundle answer = FHIR.newJsonParser().parseResource(Bundle.class, first.text());
    assertThat(answer.getType()).isEqualTo(Bundle.BundleType.TRANSACTIONRESPONSE);
    assertThat(answer.getEntryFirstRep().getResponse().getStatus()).isEqualTo("201 Created");
    String location = answer.getEntryFirstRep().getResponse().getLocation();
    Bundle again = FHIR.newJsonParser().parseResource(Bundle.class, ok(partner.postRaw("/fhir/Bundle", FHIR_JSON, body), 200).text());
    assertThat(again.getEntryFirstRep().getResponse().getStatus()).isEqualTo("200 OK");
    assertThat(again.getEntryFirstRep().getResponse().getLocation()).isEqualTo(location);
    assertThat(jdbc.sql("select count(*) from external_results where source_system = ? and source_value = ?")
        .params(result.system(), result.value()).query(Integer.class).single()).as("stored once").isEqualTo(1);

    JsonNode lines = ok(family.get("/api/v1/resident/persons/" + personId + "/results"), 200).json();
    assertThat(lines.get(0).path("status").asString()).isEqualTo("NEGATIVE");
    assertThat(lines.get(0).path("source").asString()).contains("邻市第一医院检验科");
    JsonNode code = await().atMost(Duration.ofSeconds(20)).until(
        () -> ok(family.get("/api/v1/resident/persons/" + personId + "/health-code"), 200).json(),
        j -> j.findValuesAsString("code").contains("EXTERNAL_NEGATIVE"));
    assertThat(code.path("color").asString()).isEqualTo("GREEN");
    assertThat(code.toString()).contains("邻市第一医院检验科");
    assertThat(ok(family.post("/api/v1/resident/persons/" + personId + "/check-ins", Map.of("venueToken", clinic)), 200)
        .json().path("admitted").asBoolean()).as("the outside negative admits like a local one").isTrue();
  }

  @Test
  void anOutsidePositiveTurnsTheCodeRedAndAlertsOfficialsAtOnce() {
    Api partner = staff("PARTNER", null, null);
    Api family = Residents.login(api(), admin(), Ids.phone());
    Corner c = corner();
    String idNumber = Ids.next();
    String personId = Residents.addNewPerson(family, admin(), idNumber, "王外阳", c.district());
    Outside o = negative(idNumber, "王外阳");
    Outside positive = new Outside(o.system(), o.value(), o.idType(), o.idNumber(), o.name(), "POS", o.loinc(), o.sampledAt(), o.issuedAt());
    Bundle stored = FHIR.newJsonParser().parseResource(Bundle.class, ok(partner.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(positive))), 200).text());
    String resultId = stored.getEntryFirstRep().getResponse().getLocation().replace("DiagnosticReport/", "");
    JsonNode code = await().atMost(Duration.ofSeconds(20)).until(
        () -> ok(family.get("/api/v1/resident/persons/" + personId + "/health-code"), 200).json(),
        j -> "RED".equals(j.path("color").asString()));
    assertThat(code.toString()).contains("POSITIVE_RESULT").contains("邻市第一医院检验科");
    assertThat(jdbc.sql("select count(*) from alerts where kind = 'CRITICAL_RESULT' and subject = ?").param("EXT-" + resultId)
        .query(Integer.class).single()).isEqualTo(1);
  }

  @Test
  void invalidBundlesAreRefusedWithAnOperationOutcomeNamingTheProblem() {
    Api partner = staff("PARTNER", null, null);
    Outside good = negative(Ids.next(), "赵无效");

    Outside wrongTest = new Outside(good.system(), good.value(), "CN_ID", good.idNumber(), good.name(), "NEG", "94309-2", good.sampledAt(),
        good.issuedAt());
    Api.Res r = partner.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(wrongTest)));
    assertThat(r.status()).isEqualTo(422);
    OperationOutcome oo = outcome(r);
    assertThat(oo.getIssueFirstRep().getExpression().get(0).getValue()).endsWith(".code");
    assertThat(oo.getIssueFirstRep().getDiagnostics()).contains("94500-6");

    Outside badNumber = new Outside(good.system(), good.value(), "CN_ID", "110101199001011234", good.name(), "NEG", "94500-6",
        good.sampledAt(), good.issuedAt());
    r = partner.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(badNumber)));
    assertThat(r.status()).isEqualTo(422);
    assertThat(outcome(r).getIssueFirstRep().getExpression().get(0).getValue()).endsWith("subject.resolve().identifier[0].value");

    Outside badType = new Outside(good.system(), good.value(), "DRIVING_LICENCE", good.idNumber(), good.name(), "NEG", "94500-6",
        good.sampledAt(), good.issuedAt());
    r = partner.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(badType)));
    assertThat(r.status()).isEqualTo(422);
    assertThat(outcome(r).getIssueFirstRep().getExpression().get(0).getValue()).endsWith("identifier[0].system");

    // HAPI's validator: a DiagnosticReport without its required code
    Bundle noCode = bundle(good);
    noCode.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(DiagnosticReport.class::isInstance)
        .map(DiagnosticReport.class::cast).forEach(d -> d.setCode(null));
    r = partner.postRaw("/fhir/Bundle", FHIR_JSON, json(noCode));
    assertThat(r.status()).isEqualTo(422);
    assertThat(outcome(r).getIssue()).anySatisfy(i -> assertThat(i.getDiagnostics() + i.getExpression()).contains("code"));

    r = partner.postRaw("/fhir/Bundle", FHIR_JSON, "{\"resourceType\": \"Bundle\", \"type\": ");
    assertThat(r.status()).isEqualTo(400);
    assertThat(outcome(r).getIssueFirstRep().getDetails().getCodingFirstRep().getCode()).isEqualTo("FHIR_MALFORMED");

    // wrong role, no token: OperationOutcomes too, and nothing was stored
    Api official = staff("OFFICIAL", null, null);
    r = official.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(good)));
    assertThat(r.status()).isEqualTo(403);
    assertThat(outcome(r).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.FORBIDDEN);
    r = api().anonymous().postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(good)));
    assertThat(r.status()).isEqualTo(401);
    outcome(r);
    assertThat(jdbc.sql("select count(*) from external_results where source_value = ?").param(good.value()).query(Integer.class).single())
        .isZero();
  }

  @Test
  void departmentsReadReportsWithinTheirScopeAndEveryReadIsAudited() {
    Api partner = staff("PARTNER", null, null);
    Api otherPartner = staff("PARTNER", null, null);
    Api official = staff("OFFICIAL", null, null);
    String idNumber = Ids.next();
    Outside o = negative(idNumber, "钱可读");
    Bundle stored = FHIR.newJsonParser().parseResource(Bundle.class, ok(partner.postRaw("/fhir/Bundle", FHIR_JSON, json(bundle(o))), 200).text());
    String location = stored.getEntryFirstRep().getResponse().getLocation();
    String query = "/fhir/DiagnosticReport?patient.identifier=" + java.net.URLEncoder.encode("urn:epiloop:id:CN_ID|" + idNumber,
        java.nio.charset.StandardCharsets.UTF_8);

    for (Api reader : new Api[] {official, partner}) {
      Api.Res found = ok(reader.get(query), 200);
      assertThat(found.contentType()).startsWith(FHIR_JSON);
      Bundle set = FHIR.newJsonParser().parseResource(Bundle.class, found.text());
      assertThat(set.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
      assertThat(set.getTotal()).isEqualTo(1);
      DiagnosticReport report = (DiagnosticReport) set.getEntryFirstRep().getResource();
      assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("94500-6");
      assertThat(report.getIdentifier()).anySatisfy(i -> assertThat(i.getSystem() + "|" + i.getValue()).isEqualTo(o.system() + "|" + o.value()));
      assertThat(report.getSubject().getIdentifier().getValue()).isEqualTo(idNumber);
      Observation obs = (Observation) report.getContained().stream().filter(Observation.class::isInstance).findFirst().orElseThrow();
      assertThat(obs.getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("NEG");
      DiagnosticReport one = FHIR.newJsonParser().parseResource(DiagnosticReport.class, ok(reader.get("/fhir/" + location), 200).text());
      assertThat(one.getIdElement().getIdPart()).isEqualTo(location.replace("DiagnosticReport/", ""));
      assertThat(one.getSubject().getDisplay()).doesNotContain(idNumber);
    }
    // another partner did not send this person's results: nothing found, as for a stranger
    Bundle none = FHIR.newJsonParser().parseResource(Bundle.class, ok(otherPartner.get(query), 200).text());
    assertThat(none.getTotal()).isZero();
    Api.Res hidden = otherPartner.get("/fhir/" + location);
    assertThat(hidden.status()).isEqualTo(404);
    assertThat(outcome(hidden).getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.NOTFOUND);
    assertThat(staff("COURIER", null, null).get(query).status()).isEqualTo(403);
    Api.Res bad = official.get("/fhir/DiagnosticReport?patient.identifier=nonsense");
    assertThat(bad.status()).isEqualTo(400);
    outcome(bad);

    // every search and read, the refused ones too: two each by the official and the sender, two by the other partner
    String personId = jdbc.sql("select person_id::text from external_results where source_value = ?").param(o.value())
        .query(String.class).single();
    assertThat(jdbc.sql("select count(*) from audit_log where action in ('FHIR_SEARCH', 'FHIR_READ') and subject_id in (?, ?)")
        .params(personId, location.replace("DiagnosticReport/", "")).query(Integer.class).single()).isEqualTo(6);
  }
}
