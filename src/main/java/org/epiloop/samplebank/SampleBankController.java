package org.epiloop.samplebank;

import io.swagger.v3.oas.annotations.Operation;
import java.util.List;
import org.epiloop.shared.Actor;
import org.epiloop.shared.FreeText;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The sample bank (L7): store kept tubes by scan, dispose of them in batches, see what waits. */
@RestController
class SampleBankController {

  private final SampleBank bank;

  SampleBankController(SampleBank bank) {
    this.bank = bank;
  }

  record Storage(String tubeCode, String freezer, String rack, String box, String position) {}

  record DisposalRequest(List<String> tubeCodes, @FreeText String note) {}

  @Operation(summary = "The lab's bank: tubes waiting for a position, stored counts, tubes due for disposal, recent disposals")
  @GetMapping("/api/v1/labs/{labCode}/bank")
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR','OFFICIAL','ADMIN')")
  SampleBank.Summary summary(@PathVariable String labCode) {
    return bank.summary(Actor.current(), labCode);
  }

  @Operation(summary = "Store a kept tube at a freezer / rack / box / position (both scanned)")
  @PostMapping("/api/v1/labs/{labCode}/bank/storage")
  @PreAuthorize("hasAnyRole('LAB_TECH','LAB_REVIEWER','LAB_DIRECTOR')")
  SampleBank.Stored store(@PathVariable String labCode, @RequestBody Storage body) {
    return bank.store(Actor.current(), labCode, body.tubeCode(), body.freezer(), body.rack(), body.box(), body.position());
  }

  @Operation(summary = "Dispose of stored tubes past their retention, as one batch (who and when recorded)")
  @PostMapping("/api/v1/labs/{labCode}/bank/disposals")
  @ResponseStatus(HttpStatus.CREATED)
  @PreAuthorize("hasAnyRole('LAB_DIRECTOR')")
  SampleBank.Disposal dispose(@PathVariable String labCode, @RequestBody DisposalRequest body) {
    return bank.dispose(Actor.current(), labCode, body.tubeCodes(), body.note());
  }
}
