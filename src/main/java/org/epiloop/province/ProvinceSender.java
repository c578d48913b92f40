package org.epiloop.province;

import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.epiloop.audit.AuditTrail;
import org.epiloop.identity.Persons;
import org.epiloop.results.PersonResults;
import org.epiloop.results.ResultStatus;
import org.epiloop.shared.Actor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends the queued bundles to the province: {@code parallelism} workers per copy, each claiming
 * a batch, building its bundles from one read of the results and the persons, and POSTing them
 * one transaction at a time. 2xx is recorded as the acknowledgement; 5xx, 408, 429, timeouts and
 * broken connections are tried again after a growing, jittered wait; any other 4xx parks the
 * bundle as DEAD with the receiver's OperationOutcome. A stopping copy finishes the bundle in
 * flight and gives its other claimed rows back.
 */
@Component
@EnableConfigurationProperties(ProvinceProperties.class)
class ProvinceSender implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(ProvinceSender.class);
  private static final int TEXT_LIMIT = 8000;

  private final ProvinceProperties properties;
  private final ProvinceOutbox outbox;
  private final PersonResults results;
  private final Persons persons;
  private final AuditTrail audit;
  private final Clock clock;
  private final Backoff backoff;
  /** Names this copy's claims: a host may run several copies. */
  private final String copy = "copy-" + UUID.randomUUID().toString().substring(0, 8);
  private volatile boolean running;
  private ExecutorService workers;
  private HttpClient http;

  ProvinceSender(ProvinceProperties properties, ProvinceOutbox outbox, PersonResults results, Persons persons, AuditTrail audit,
      Clock clock) {
    this.properties = properties;
    this.outbox = outbox;
    this.results = results;
    this.persons = persons;
    this.audit = audit;
    this.clock = clock;
    this.backoff = new Backoff(properties.initialBackoff(), properties.maxBackoff());
  }

  @Override
  public void start() {
    if (!properties.enabled() || running) {
      return;
    }
    http = client();
    running = true;
    workers = Executors.newFixedThreadPool(properties.parallelism(), r -> {
      Thread t = new Thread(r, "province-sender");
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < properties.parallelism(); i++) {
      String worker = copy + "-" + i;
      workers.submit(() -> work(worker));
    }
    log.info("Delivery to the province is on: {} worker(s), batches of {}", properties.parallelism(), properties.batchSize());
  }

  @Override
  public void stop() {
    running = false;
    if (workers != null) {
      workers.shutdown();
      try {
        // the bundle in flight finishes (or times out) so its answer is recorded
        if (!workers.awaitTermination(properties.timeout().toMillis() + properties.pollInterval().toMillis() + 5000, TimeUnit.MILLISECONDS)) {
          workers.shutdownNow();
        }
      } catch (InterruptedException e) {
        workers.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void work(String worker) {
    while (running) {
      int claimed;
      try {
        claimed = sendBatch(worker);
      } catch (RuntimeException e) {
        // the database may be briefly away (ADR 0015): wait and look again
        log.warn("Province delivery worker {} failed a round: {}", worker, e.getClass().getSimpleName());
        claimed = 0;
      }
      if (claimed < properties.batchSize()) {
        try {
          Thread.sleep(properties.pollInterval().toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** One round: claim a batch, send it. Returns how many rows were claimed. */
  int sendBatch(String worker) {
    Duration lease = properties.timeout().plus(properties.connectTimeout()).multipliedBy(properties.batchSize()).plusSeconds(30);
    List<ProvinceOutbox.Claimed> claimed = outbox.claim(worker, properties.batchSize(), clock.instant(), lease);
    if (claimed.isEmpty()) {
      return 0;
    }
    Map<UUID, PersonResults.Released> released = results.released(claimed.stream().map(ProvinceOutbox.Claimed::bindingId).toList())
        .stream().collect(Collectors.toMap(PersonResults.Released::bindingId, Function.identity()));
    Map<UUID, Persons.Document> documents = persons.documentsForProvince(
        released.values().stream().map(PersonResults.Released::personId).distinct().toList());
    // the disclosure itself is recorded per result by the outbox (which result, when, acknowledged how)
    audit.record(Actor.SYSTEM, "RESULTS_SENT_TO_PROVINCE", "province-outbox", String.valueOf(claimed.get(0).id()),
        claimed.size() + " result bundle(s) from outbox rows " + claimed.get(0).id() + "…" + claimed.get(claimed.size() - 1).id());
    List<Long> unsent = new ArrayList<>(claimed.stream().map(ProvinceOutbox.Claimed::id).toList());
    for (ProvinceOutbox.Claimed row : claimed) {
      if (!running) {
        break;
      }
      send(worker, row, released.get(row.bindingId()), documents);
      unsent.remove(row.id());
    }
    outbox.release(unsent, worker);
    return claimed.size();
  }

  private void send(String worker, ProvinceOutbox.Claimed row, PersonResults.Released r, Map<UUID, Persons.Document> documents) {
    Persons.Document doc = r == null ? null : documents.get(r.personId());
    if (doc == null) {
      outbox.dead(row.id(), worker, 0, "The result or its person is no longer in Epiloop", null);
      return;
    }
    String json = ResultBundles.json(ResultBundles.transaction(new ResultBundles.Content(r.bindingId(), row.revision(),
        row.reportStatus(), doc.type().name(), doc.number(), doc.name(), r.tubeCode(), r.pooled(), r.sampledAt(), r.siteCode(),
        r.labCode(), ResultStatus.valueOf(row.resultStatus()), row.revision() > 0 && r.amendedAt() != null ? r.amendedAt() : r.reportedAt(),
        r.ctOrf1ab(), r.ctN(), r.ctIc(), row.reason())));
    HttpRequest.Builder request = HttpRequest.newBuilder(properties.endpoint()).timeout(properties.timeout())
        .header("Content-Type", "application/fhir+json; charset=utf-8").header("Accept", "application/fhir+json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (properties.bearerToken() != null && !properties.bearerToken().isBlank()) {
      request.header("Authorization", "Bearer " + properties.bearerToken());
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      retry(worker, row, null, "timeout after " + properties.timeout());
      return;
    } catch (IOException e) {
      retry(worker, row, null, "no answer: " + e.getClass().getSimpleName());
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      retry(worker, row, null, "interrupted");
      return;
    }
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      outbox.delivered(row.id(), worker, status, acknowledgement(response.body(), status), clock.instant());
    } else if (status >= 400 && status < 500 && status != 408 && status != 429) {
      String outcome = outcome(response.body());
      log.warn("The province refused outbox row {} with HTTP {}: parked for an administrator", row.id(), status);
      outbox.dead(row.id(), worker, status, "HTTP " + status + diagnostics(outcome), outcome);
    } else {
      retry(worker, row, status, "HTTP " + status);
    }
  }

  private void retry(String worker, ProvinceOutbox.Claimed row, Integer status, String error) {
    outbox.retryLater(row.id(), worker, status, error, clock.instant().plus(backoff.after(row.attempts(), ThreadLocalRandom.current())));
  }

  /** What the province answered: each entry's status and location (its ids for our resources). */
  private static String acknowledgement(String body, int status) {
    try {
      Bundle response = ResultBundles.fhir().newJsonParser().parseResource(Bundle.class, body);
      String entries = response.getEntry().stream()
          .map(e -> e.getResponse().getStatus() + (e.getResponse().hasLocation() ? " " + e.getResponse().getLocation() : ""))
          .collect(Collectors.joining("; "));
      return limit("HTTP " + status + ": " + entries);
    } catch (DataFormatException | ClassCastException e) {
      return "HTTP " + status;
    }
  }

  /** The receiver's OperationOutcome as JSON, or its raw answer when it sent none. */
  private static String outcome(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      IBaseResource parsed = ResultBundles.fhir().newJsonParser().parseResource(body);
      if (parsed instanceof OperationOutcome o) {
        return limit(ResultBundles.fhir().newJsonParser().setPrettyPrint(true).encodeResourceToString(o));
      }
    } catch (DataFormatException e) {
      // not FHIR: kept as it came
    }
    return limit(body);
  }

  private static String diagnostics(String outcome) {
    if (outcome == null) {
      return "";
    }
    try {
      OperationOutcome o = ResultBundles.fhir().newJsonParser().parseResource(OperationOutcome.class, outcome);
      return o.getIssue().stream().findFirst().map(i -> ": " + (i.hasDiagnostics() ? i.getDiagnostics() : i.getCode().toCode())).orElse("");
    } catch (DataFormatException e) {
      return "";
    }
  }

  private static String limit(String s) {
    return s.length() <= TEXT_LIMIT ? s : s.substring(0, TEXT_LIMIT) + "…";
  }

  private HttpClient client() {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(properties.connectTimeout())
        .executor(Executors.newFixedThreadPool(Math.max(2, properties.parallelism()), r -> {
          Thread t = new Thread(r, "province-http");
          t.setDaemon(true);
          return t;
        }));
    if (properties.keyStore() != null || properties.trustStore() != null) {
      builder.sslContext(sslContext());
    }
    return builder.build();
  }

  /** This city's client certificate (mutual TLS) and, if given, the province's own CA. */
  private SSLContext sslContext() {
    try {
      KeyManagerFactory keys = null;
      if (properties.keyStore() != null) {
        KeyStore store = load(properties.keyStore(), properties.keyStorePassword());
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, properties.keyStorePassword().toCharArray());
      }
      TrustManagerFactory trust = null;
      if (properties.trustStore() != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(properties.trustStore(), properties.trustStorePassword()));
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys == null ? null : keys.getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("epiloop.province: cannot read the key or trust store: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(java.nio.file.Path path, String password) throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(path)) {
      store.load(in, password.toCharArray());
    }
    return store;
  }
}
