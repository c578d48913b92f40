package org.epiloop.simulator.day;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.SimpleBundleProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;

/**
 * {@code day --province}: a FHIR R4 receiver standing for the provincial platform, in this
 * process — HAPI's RestfulServer on an embedded Tomcat at {@code http://localhost:<port>/fhir}.
 * It takes transaction bundles as Epiloop sends them (conditional creates and updates keyed by
 * identifiers), keeps one DiagnosticReport per result identifier with its version, counts the
 * bundles it committed per bundle identifier (a bundle committed twice is a duplicate delivery)
 * and when each was committed (for the throughput figure). {@code GET
 * /fhir/DiagnosticReport?_summary=count} answers how many results it holds, which is also how
 * the day reads a receiver given by {@code --province-url}.
 */
final class Province implements AutoCloseable {

  private static final FhirContext FHIR = FhirContext.forR4Cached();

  private final Tomcat tomcat = new Tomcat();
  private final int port;
  // only each result's status: HAPI's parsed reports hold their whole bundles, and a 100,000-person
  // day's worth of them ran the simulator out of a 1 GB heap
  private final Map<String, DiagnosticReport.DiagnosticReportStatus> reports = new HashMap<>();
  private final Map<String, Integer> commits = new HashMap<>();
  private final List<Long> commitMillis = new ArrayList<>();
  private final Map<String, Integer> ids = new HashMap<>();
  private final AtomicLong next = new AtomicLong();

  Province(int port) throws Exception {
    this.port = port;
    java.nio.file.Path base = Files.createTempDirectory("epiloop-province-");
    tomcat.setBaseDir(base.toString());
    tomcat.setPort(port);
    tomcat.getConnector().setProperty("maxThreads", "64");
    Context context = tomcat.addContext("", base.toString());
    RestfulServer server = new RestfulServer(FHIR);
    server.registerProvider(new Transactions());
    server.setResourceProviders(new Reports());
    Tomcat.addServlet(context, "fhir", server);
    context.addServletMappingDecoded("/fhir/*", "fhir");
    tomcat.start();
  }

  String url() {
    return "http://localhost:" + port + "/fhir";
  }

  /** What the receiver holds: distinct results, bundles committed, bundles committed more than once. */
  record Tally(int results, int bundles, int duplicates, int amended) {}

  synchronized Tally tally() {
    int dup = (int) commits.values().stream().filter(n -> n > 1).count();
    int amended = (int) reports.values().stream().filter(s -> s == DiagnosticReport.DiagnosticReportStatus.AMENDED).count();
    return new Tally(reports.size(), commits.values().stream().mapToInt(Integer::intValue).sum(), dup, amended);
  }

  /** The most bundles committed within any {@code windowMillis}, per second. */
  synchronized double peakPerSecond(long windowMillis) {
    List<Long> t = new ArrayList<>(commitMillis);
    java.util.Collections.sort(t);
    int best = 0;
    int from = 0;
    for (int to = 0; to < t.size(); to++) {
      while (t.get(to) - t.get(from) >= windowMillis) {
        from++;
      }
      best = Math.max(best, to - from + 1);
    }
    return best * 1000.0 / windowMillis;
  }

  @Override
  public void close() throws Exception {
    tomcat.stop();
    tomcat.destroy();
  }

  /** The transaction endpoint. */
  public final class Transactions {
    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle) {
      return commit(bundle);
    }
  }

  /** DiagnosticReport search, for {@code _summary=count}. */
  public final class Reports implements IResourceProvider {
    @Override
    public Class<? extends IBaseResource> getResourceType() {
      return DiagnosticReport.class;
    }

    @Search
    public IBundleProvider all() {
      synchronized (Province.this) {
        List<IBaseResource> found = new ArrayList<>(reports.size());
        reports.forEach((key, status) -> found.add(new DiagnosticReport().setStatus(status).setId("DiagnosticReport/" + ids.get(key))));
        return new SimpleBundleProvider(found);
      }
    }
  }

  private synchronized Bundle commit(Bundle bundle) {
    Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
    for (Bundle.BundleEntryComponent e : bundle.getEntry()) {
      Bundle.BundleEntryRequestComponent req = e.getRequest();
      String type = e.getResource().fhirType();
      String query = req.getMethod() == Bundle.HTTPVerb.POST ? req.getIfNoneExist()
          : req.getUrl().startsWith(type + "?") ? req.getUrl().substring(type.length() + 1) : null;
      if (query == null || !query.startsWith("identifier=")) {
        throw new InvalidRequestException("Only conditional creates and updates on identifier are accepted");
      }
      String key = type + "|" + URLDecoder.decode(query.substring("identifier=".length()), StandardCharsets.UTF_8);
      Integer id = ids.get(key);
      boolean created = id == null;
      if (created) {
        id = (int) next.incrementAndGet();
        ids.put(key, id);
      }
      if (e.getResource() instanceof DiagnosticReport r) {
        reports.put(key, r.getStatus());
      }
      response.addEntry().getResponse().setStatus(created ? "201 Created" : "200 OK").setLocation(type + "/" + id);
    }
    commits.merge(bundle.getIdentifier().getValue(), 1, Integer::sum);
    commitMillis.add(System.currentTimeMillis());
    return response;
  }
}
