package org.epiloop.labquality;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What the lab module asks of lab quality, inside its own transactions (ADR 0026): at plating,
 * check the cycler and take the plate's reactions from its kit lot; at import, capture the
 * positive controls' Ct values and judge them; at release, whether QC holds the run.
 */
@Service
@EnableConfigurationProperties(QcProperties.class)
public class LabQuality {

  private final QualityControl qc;
  private final Reagents reagents;
  private final Instruments instruments;
  private final NetworkFigures network;

  LabQuality(QualityControl qc, Reagents reagents, Instruments instruments, NetworkFigures network) {
    this.qc = qc;
    this.reagents = reagents;
    this.instruments = instruments;
    this.network = network;
  }

  /**
   * The kit lot and cycler a plate was recorded with (null where the lab keeps none in Epiloop).
   *
   * @param reagentLot the kit lot number
   * @param cycler the PCR cycler's code
   */
  public record PlateResources(String reagentLot, String cycler) {}

  /**
   * Checks and records the resources of a new plate, in the caller's transaction: the cycler
   * must be registered and calibrated, the kit lot in date with {@code reactions} left, which it
   * then loses. Either is required once the lab has registered one of its kind. Fails with a
   * plain-words {@link org.epiloop.shared.ApiException} naming the field.
   */
  @Transactional
  public PlateResources plate(String labCode, UUID runId, String reagentLot, String cycler, int reactions) {
    String checkedCycler = instruments.checkCycler(labCode, cycler);
    String lot = reagents.consume(labCode, runId, reagentLot, reactions);
    return new PlateResources(lot, checkedCycler);
  }

  /**
   * One positive control well's Ct for one target.
   *
   * @param well e.g. {@code H11}
   * @param target {@code ORF1ab}, {@code N} or {@code IC}
   * @param ct its Ct, null when it did not amplify
   */
  public record ControlValue(String well, String target, Double ct) {}

  /**
   * Captures a run's positive-control values and judges them by the Westgard rules, in the
   * caller's transaction; empty when the lab has no control lot in use.
   */
  @Transactional
  public Optional<QcStatus> captureControls(String labCode, UUID runId, List<ControlValue> positiveControls) {
    return qc.capture(labCode, runId, positiveControls);
  }

  /** Whether a QC rejection without corrective action holds this run's release. */
  public boolean holdsRelease(UUID runId) {
    return qc.holdsRelease(runId);
  }

  /**
   * A broken Westgard rule on one control value.
   *
   * @param rule e.g. {@code 2-2s}
   * @param severity {@code WARNING} or {@code REJECTION}
   * @param target the PCR target
   * @param well the control well
   * @param lotNumber the control lot
   * @param level its level
   * @param ct the value
   * @param z its distance from the lot's mean in SDs
   */
  public record Violation(String rule, String severity, String target, String well, String lotNumber, int level, double ct, double z) {}

  /**
   * A run's QC verdict.
   *
   * @param status the verdict
   * @param violations the broken rules
   * @param correctedBy who recorded the corrective action, if any
   * @param correctedAt when
   * @param correctiveAction what was done
   */
  public record RunQc(QcStatus status, List<Violation> violations, String correctedBy, java.time.Instant correctedAt,
      String correctiveAction) {}

  /** A run's QC verdict; empty when it has none (no control lot in use, or no results yet). */
  public Optional<RunQc> runQc(UUID runId) {
    return qc.runQc(runId);
  }

  /**
   * One lab's quality figures for the command centre's lab-network register.
   *
   * @param instruments instruments registered (of any kind)
   * @param cyclers of which PCR cyclers
   * @param assays kit items with a lot in date and reactions left: the assays the lab can run today
   * @param qcRuns runs whose controls were judged since the given time
   * @param qcFailedRuns of which a Westgard rule rejected (corrected since or not)
   * @param qcFailureRate qcFailedRuns / qcRuns; null when no run was judged (never an estimate)
   * @param qcHeldRuns runs a rejection holds now (no corrective action yet), whenever judged
   * @param lowStockLots lot numbers at or below their low-stock mark
   * @param expiringLots lot numbers expired or within the near-expiry notice
   */
  public record LabFigures(int instruments, int cyclers, int assays, int qcRuns, int qcFailedRuns, Double qcFailureRate, int qcHeldRuns,
      List<String> lowStockLots, List<String> expiringLots) {

    /** A lab that keeps nothing in this module. */
    public static final LabFigures NONE = new LabFigures(0, 0, 0, 0, 0, null, 0, List.of(), List.of());
  }

  /** Every lab's figures that keeps anything in this module; a lab missing from the map keeps nothing (all zero). */
  public java.util.Map<String, LabFigures> figuresByLab(java.time.Instant since) {
    return network.byLab(since);
  }

  /** One lab's figures (zeros and a null rate when it keeps nothing here). */
  public LabFigures figures(String labCode, java.time.Instant since) {
    return network.byLab(since).getOrDefault(labCode, LabFigures.NONE);
  }
}
