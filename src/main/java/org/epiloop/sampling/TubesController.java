package org.epiloop.sampling;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.epiloop.identity.Persons;
import org.epiloop.shared.Actor;
import org.epiloop.shared.ApiException;
import org.epiloop.shared.Idempotency;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The collector's endpoints: open tubes, bind persons scan by scan, seal (S2–S3, R2–R3). */
@RestController
@RequestMapping("/api/v1/tubes")
class TubesController {

  private final Tubes tubes;
  private final Idempotency idempotency;
  private final Clock clock;

  TubesController(Tubes tubes, Idempotency idempotency, Clock clock) {
    this.tubes = tubes;
    this.idempotency = idempotency;
    this.clock = clock;
  }

  record NewTube(String tubeCode, Integer capacity) {}

  record Opened(String tubeCode, int capacity, int count, TubeStatus status, String siteCode) {}

  @Operation(summary = "Open a pre-printed tube at the collector's site (1, 5, 10 or 20 persons)")
  @PostMapping
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasRole('COLLECTOR')")
  Opened open(@RequestBody NewTube body) {
    Tubes.TubeView t = tubes.open(Actor.current(), body.tubeCode(), body.capacity());
    return new Opened(t.tubeCode(), t.capacity(), t.count(), t.status(), t.siteCode());
  }

  @Operation(summary = "The open tubes at the collector's site")
  @GetMapping
  @PreAuthorize("hasRole('COLLECTOR')")
  List<Tubes.OpenTube> open() {
    return tubes.openTubes(Actor.current());
  }

  /** A binding scan: an appointment code, or an ID card read (type, number, name). */
  record BindRequest(String appointmentCode, String idType, String idNumber, String name, Boolean confirmRepeat) {
    @Override
    public String toString() { // request bodies may be logged at DEBUG: never the document or name
      return "BindRequest[" + (appointmentCode != null ? "appointment" : idType) + ", confirmRepeat=" + confirmRepeat + "]";
    }
  }

  @Operation(summary = "Bind a person to the tube (one scan); requires Idempotency-Key")
  @PostMapping("/{tubeCode}/bindings")
  @PreAuthorize("hasRole('COLLECTOR')")
  ResponseEntity<Tubes.Bound> bind(@PathVariable String tubeCode,
      @Parameter(description = "A UUID made by the terminal for this scan") @RequestHeader("Idempotency-Key") String key,
      @RequestBody BindRequest body) {
    UUID idemKey = Idempotency.parseKey(key);
    Actor actor = Actor.current();
    byte[] fingerprint = idempotency.fingerprint(actor, "bind:" + tubeCode, body);
    try {
      Tubes.Subject subject;
      if (body.appointmentCode() != null && !body.appointmentCode().isBlank()) {
        subject = new Tubes.Subject(body.appointmentCode().strip(), null);
      } else if (body.idNumber() != null || body.idType() != null || body.name() != null) {
        subject = new Tubes.Subject(null, Persons.Document.of(body.idType(), body.idNumber(), body.name(), clock));
      } else {
        throw ApiException.badRequest("FIELD_REQUIRED", "appointmentCode", "Send appointmentCode, or idType, idNumber and name");
      }
      return ResponseEntity.status(HttpStatus.CREATED)
          .body(tubes.bind(actor, tubeCode, idemKey, fingerprint, subject, Boolean.TRUE.equals(body.confirmRepeat())));
    } catch (ApiException refused) {
      // a reused key is 422 even when this body is refused for another reason; looked up only on
      // a refusal, as the scan's own statement claims the key (and replays or refuses a reuse)
      idempotency.requireUnusedOrSame(idemKey, fingerprint);
      throw refused;
    }
  }

  @Operation(summary = "Remove a wrong binding while the tube is open (audited)")
  @DeleteMapping("/{tubeCode}/bindings/{bindingId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  @PreAuthorize("hasRole('COLLECTOR')")
  void unbind(@PathVariable String tubeCode, @PathVariable UUID bindingId, @RequestParam(required = false) String reason) {
    tubes.unbind(Actor.current(), tubeCode, bindingId, reason);
  }

  @Operation(summary = "Seal a tube that is not full")
  @PostMapping("/{tubeCode}/seal")
  @PreAuthorize("hasRole('COLLECTOR')")
  Tubes.Sealed seal(@PathVariable String tubeCode) {
    return tubes.seal(Actor.current(), tubeCode);
  }

  @Operation(summary = "A tube with its status, count and (masked) members")
  @GetMapping("/{tubeCode}")
  @PreAuthorize("hasAnyRole('COLLECTOR','OFFICIAL','ADMIN')")
  Tubes.TubeView get(@PathVariable String tubeCode) {
    return tubes.get(Actor.current(), tubeCode);
  }
}
