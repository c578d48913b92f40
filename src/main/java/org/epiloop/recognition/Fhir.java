package org.epiloop.recognition;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.validation.FhirValidator;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.OperationOutcome;

/** The exchange profile's names (shared with the province delivery) and HAPI's parser and validator. */
final class Fhir {

  private Fhir() {}

  static final String MEDIA_TYPE = "application/fhir+json";
  static final String PERSON_SYSTEM_PREFIX = "urn:epiloop:id:";
  static final String RESULT_SYSTEM = "urn:epiloop:result";
  static final String TUBE_SYSTEM = "urn:epiloop:tube";
  static final String LAB_SYSTEM = "urn:epiloop:lab";
  static final String SITE_SYSTEM = "urn:epiloop:site";
  static final String LOINC = "http://loinc.org";
  static final String SARS_COV_2_RNA = "94500-6";
  static final String INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

  static final FhirContext CONTEXT = FhirContext.forR4Cached();

  /** A parser that refuses unknown elements and wrong types instead of dropping them silently. */
  static IParser strictParser() {
    return CONTEXT.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
  }

  static String json(org.hl7.fhir.instance.model.api.IBaseResource resource) {
    return CONTEXT.newJsonParser().encodeResourceToString(resource);
  }

  /**
   * HAPI's validator with the R4 core definitions and the common terminologies in memory (no
   * terminology server: LOINC codes are checked by the profile's own rule). Built once, on the
   * first bundle: loading the definitions takes seconds.
   */
  static final class Validator {
    private static volatile FhirValidator instance;

    static FhirValidator get() {
      FhirValidator v = instance;
      if (v == null) {
        synchronized (Validator.class) {
          if (instance == null) {
            ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(CONTEXT),
                new CommonCodeSystemsTerminologyService(CONTEXT), new InMemoryTerminologyServerValidationSupport(CONTEXT),
                new SnapshotGeneratingValidationSupport(CONTEXT));
            FhirInstanceValidator module = new FhirInstanceValidator(chain);
            // the profile's extensions (collection site, pooled) are the city's own, not published
            module.setAnyExtensionsAllowed(true);
            instance = CONTEXT.newValidator().registerValidatorModule(module);
          }
          v = instance;
        }
      }
      return v;
    }
  }

  /** An OperationOutcome with one issue. */
  static OperationOutcome outcome(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, String code,
      String expression, String text) {
    OperationOutcome oo = new OperationOutcome();
    issue(oo, severity, type, code, expression, text);
    return oo;
  }

  static void issue(OperationOutcome oo, OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType type, String code,
      String expression, String text) {
    OperationOutcome.OperationOutcomeIssueComponent issue = oo.addIssue().setSeverity(severity).setCode(type).setDiagnostics(text);
    if (code != null) {
      issue.getDetails().addCoding().setSystem("urn:epiloop:problem").setCode(code);
      issue.getDetails().setText(text);
    }
    if (expression != null) {
      issue.addExpression(expression);
    }
  }
}
