package org.epiloop.support;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.ValidationResult;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The province in tests: HAPI FHIR's {@link RestfulServer} on an embedded Tomcat (a free port),
 * answering transaction bundles at {@code /fhir}. It stores what it receives by identifier and
 * honours conditional creates ({@code ifNoneExist}) and conditional updates ({@code PUT
 * Type?identifier=…}) as a FHIR server does: sent twice, a bundle changes nothing (an update
 * with the same content makes no new version). It keeps every committed bundle as received, for
 * the test to validate with HAPI's validator ({@link #validator}) — validating inline would take
 * longer than a sender's timeout on a busy machine. Tests make it fail: 503s, hangs longer than the client's timeout, a
 * restart (its store survives, as a real server's database would), 422 with an OperationOutcome
 * for chosen patients.
 */
public final class ProvinceReceiver implements AutoCloseable {

  /** What the next requests meet before the server looks at them. */
  public enum Failure { SERVICE_UNAVAILABLE, HANG }

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final int port;
  private final long hangMillis;
  private final java.nio.file.Path baseDir;
  /** Set for a receiver that speaks only TLS and requires a client certificate from this PKI. */
  private final TestPki pki;
  private Tomcat tomcat;

  /** Stored resources: type → identifier token → resource (references rewritten to stored ids). */
  private final Map<String, Map<String, Stored>> store = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final ConcurrentLinkedDeque<Failure> failures = new ConcurrentLinkedDeque<>();
  private final Set<String> refusedPatients = ConcurrentHashMap.newKeySet();
  /** Bundle identifiers of the transactions committed, in order (one per acknowledged bundle). */
  private final List<String> committed = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Bundle> bundles = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();

  /** A stored resource and its version. */
  public record Stored(String id, int version, Resource resource) {}

  private ProvinceReceiver(int port, long hangMillis, TestPki pki) throws IOException {
    this.port = port;
    this.hangMillis = hangMillis;
    this.pki = pki;
    this.baseDir = Files.createTempDirectory("province-receiver-");
  }

  /**
   * Starts on a free port speaking only TLS with the PKI's server certificate, and refusing any
   * client that does not present a certificate issued by the PKI's CA (mutual TLS, as the
   * province requires of the cities that send to it).
   */
  public static ProvinceReceiver startMutualTls(TestPki pki) {
    try {
      ProvinceReceiver r = new ProvinceReceiver(ServerProcess.freePort(), 1000, pki);
      r.startServer();
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Starts on a free port; requests told to hang wait {@code hangMillis} and then fail. */
  public static ProvinceReceiver start(long hangMillis) {
    try {
      ProvinceReceiver r = new ProvinceReceiver(ServerProcess.freePort(), hangMillis, null);
      r.startServer();
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** HAPI's validator with the R4 core definitions and the common terminologies held in memory. */
  public static FhirValidator validator() {
    ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(FHIR),
        new CommonCodeSystemsTerminologyService(FHIR), new InMemoryTerminologyServerValidationSupport(FHIR),
        new SnapshotGeneratingValidationSupport(FHIR));
    FhirInstanceValidator instance = new FhirInstanceValidator(chain);
    // the profile's extensions (collection site, pooled) are defined by the city, not published
    instance.setAnyExtensionsAllowed(true);
    return FHIR.newValidator().registerValidatorModule(instance);
  }

  /** Validation errors of a resource (warnings and information pass). */
  public static List<String> errors(FhirValidator validator, Resource resource) {
    ValidationResult result = validator.validateWithResult(resource);
    return result.getMessages().stream()
        .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
        .map(m -> m.getLocationString() + ": " + m.getMessage()).toList();
  }

  private void startServer() {
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    tomcat.setPort(port);
    if (pki == null) {
      tomcat.getConnector();
    } else {
      tomcat.setConnector(tlsConnector());
    }
    Context context = tomcat.addContext("", baseDir.toString());
    RestfulServer server = new RestfulServer(FHIR);
    server.registerProvider(new TransactionProvider());
    Tomcat.addServlet(context, "fhir", server);
    context.addServletMappingDecoded("/fhir/*", "fhir");
    FilterDef def = new FilterDef();
    def.setFilterName("failures");
    def.setFilter(new FailureFilter());
    context.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("failures");
    map.addURLPattern("/*");
    context.addFilterMap(map);
    try {
      tomcat.start();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }

  private org.apache.catalina.connector.Connector tlsConnector() {
    org.apache.catalina.connector.Connector c = new org.apache.catalina.connector.Connector();
    c.setPort(port);
    c.setScheme("https");
    c.setSecure(true);
    c.setProperty("SSLEnabled", "true");
    org.apache.tomcat.util.net.SSLHostConfig host = new org.apache.tomcat.util.net.SSLHostConfig();
    // no certificate from the CA, no connection: the handshake fails before any HTTP is read
    host.setCertificateVerification("required");
    host.setTruststoreFile(pki.caTrustStore().toString());
    host.setTruststorePassword(pki.password());
    host.setTruststoreType("PKCS12");
    org.apache.tomcat.util.net.SSLHostConfigCertificate cert = new org.apache.tomcat.util.net.SSLHostConfigCertificate(host,
        org.apache.tomcat.util.net.SSLHostConfigCertificate.Type.UNDEFINED);
    cert.setCertificateKeystoreFile(pki.serverKeyStore().toString());
    cert.setCertificateKeystorePassword(pki.password());
    cert.setCertificateKeystoreType("PKCS12");
    host.addCertificate(cert);
    c.addSslHostConfig(host);
    return c;
  }

  /** Where Epiloop sends: the FHIR base URL. */
  public String url() {
    return (pki == null ? "http" : "https") + "://localhost:" + port + "/fhir";
  }

  /** The next {@code n} requests meet {@code failure}. */
  public void failNext(int n, Failure failure) {
    for (int i = 0; i < n; i++) {
      failures.add(failure);
    }
  }

  /** Bundles for this patient (document number) are refused with 422 and an OperationOutcome. */
  public void refusePatient(String idNumber) {
    refusedPatients.add(idNumber);
  }

  public void acceptPatient(String idNumber) {
    refusedPatients.remove(idNumber);
  }

  /** Stops and starts again on the same port, keeping what was stored. */
  public void restart(long downMillis) {
    stopServer();
    try {
      Thread.sleep(downMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    startServer();
  }

  public synchronized Map<String, Stored> stored(String type) {
    return Map.copyOf(store.getOrDefault(type, Map.of()));
  }

  public List<String> committed() {
    synchronized (committed) {
      return List.copyOf(committed);
    }
  }

  /** Every committed bundle by its identifier, as received. */
  public Map<String, Bundle> bundles() {
    return Map.copyOf(bundles);
  }

  public int requests() {
    return requests.get();
  }

  public int failedRequests() {
    return failed.get();
  }

  private void stopServer() {
    try {
      tomcat.stop();
      tomcat.destroy();
    } catch (LifecycleException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    stopServer();
  }

  /** Injected failures, before HAPI sees the request. */
  private final class FailureFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
      requests.incrementAndGet();
      Failure f = failures.poll();
      if (f == Failure.SERVICE_UNAVAILABLE) {
        failed.incrementAndGet();
        ((HttpServletResponse) response).sendError(503, "Province platform under maintenance");
        return;
      }
      if (f == Failure.HANG) {
        failed.incrementAndGet();
        try {
          Thread.sleep(hangMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        ((HttpServletResponse) response).sendError(504, "hung");
        return;
      }
      chain.doFilter(request, response);
    }
  }

  /** The transaction endpoint ({@code POST /fhir} with a transaction Bundle). */
  public final class TransactionProvider {

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
      if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
        throw new InvalidRequestException("Only transaction bundles are accepted");
      }
      for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
        if (e.getResource() instanceof org.hl7.fhir.r4.model.Patient p
            && p.getIdentifier().stream().map(Identifier::getValue).anyMatch(refusedPatients::contains)) {
          OperationOutcome oo = new OperationOutcome();
          oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.BUSINESSRULE)
              .setDiagnostics("Patient.identifier: the document number is not registered with the province");
          throw new UnprocessableEntityException(FHIR, oo);
        }
      }
      return apply(bundle);
    }
  }

  /** Applies a transaction atomically: conditional creates and updates, internal references resolved. */
  private synchronized Bundle apply(Bundle bundle) {
    Map<String, String> resolved = new HashMap<>();
    record Change(String type, String token, Stored stored, String status) {}
    List<Change> changes = new ArrayList<>();
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      Resource r = e.getResource().copy();
      String type = r.fhirType();
      Bundle.BundleEntryRequestComponent req = e.getRequest();
      String token;
      if (req.getMethod() == Bundle.HTTPVerb.POST) {
        token = identifierToken(req.getIfNoneExist(), "ifNoneExist");
      } else if (req.getMethod() == Bundle.HTTPVerb.PUT && req.getUrl().startsWith(type + "?")) {
        token = identifierToken(req.getUrl().substring(type.length() + 1), "url");
      } else {
        throw new InvalidRequestException("Only conditional creates and updates on identifier are accepted: " + req.getUrl());
      }
      Stored existing = store.getOrDefault(type, Map.of()).get(token);
      rewrite(r, resolved);
      if (req.getMethod() == Bundle.HTTPVerb.POST && existing != null) {
        resolved.put(e.getFullUrl(), type + "/" + existing.id());
        changes.add(new Change(type, token, existing, "200 OK"));
        continue;
      }
      if (existing != null) {
        r.setId(type + "/" + existing.id());
        resolved.put(e.getFullUrl(), type + "/" + existing.id());
        boolean same = r.equalsDeep(existing.resource());
        changes.add(new Change(type, token, same ? existing : new Stored(existing.id(), existing.version() + 1, r), "200 OK"));
      } else {
        String id = String.valueOf(ids.incrementAndGet());
        r.setId(type + "/" + id);
        resolved.put(e.getFullUrl(), type + "/" + id);
        changes.add(new Change(type, token, new Stored(id, 1, r), "201 Created"));
      }
    }
    // references to resources later in the bundle: resolve them now that every id is known
    for (Change c : changes) {
      rewrite(c.stored().resource(), resolved);
    }
    Bundle response = new Bundle();
    response.setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    for (Change c : changes) {
      store.computeIfAbsent(c.type(), t -> new HashMap<>()).put(c.token(), c.stored());
      response.addEntry().getResponse().setStatus(c.status())
          .setLocation(c.type() + "/" + c.stored().id() + "/_history/" + c.stored().version());
    }
    committed.add(bundle.getIdentifier().getValue());
    bundles.put(bundle.getIdentifier().getValue(), bundle);
    return response;
  }

  private static String identifierToken(String query, String where) {
    if (query == null || !query.startsWith("identifier=")) {
      throw new InvalidRequestException("Conditional " + where + " must search by identifier: " + query);
    }
    String[] parts = query.substring("identifier=".length()).split("\\|", 2);
    if (parts.length != 2) {
      throw new InvalidRequestException("identifier needs system|value: " + query);
    }
    return URLDecoder.decode(parts[0], StandardCharsets.UTF_8) + "|" + URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
  }

  private static void rewrite(Resource r, Map<String, String> resolved) {
    for (Reference ref : FHIR.newTerser().getAllPopulatedChildElementsOfType(r, Reference.class)) {
      String target = resolved.get(ref.getReference());
      if (target != null) {
        ref.setReference(target);
      }
    }
  }
}
