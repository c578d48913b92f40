package org.epiloop.labquality;

import java.time.LocalDate;
import java.util.List;
import org.epiloop.demo.DemoLabReady;
import org.epiloop.shared.Actor;
import org.epiloop.shared.Role;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo city's lab quality records (issue 17 item 5 of the follow-up): a positive-control lot,
 * kit and consumable lots (one low, one near expiry, so the alerts show), and the lab's instruments
 * (one due for calibration soon). Seeded through this module's own services, in the demo's
 * transaction, only when the lab keeps nothing here yet — a lab director's data is never touched.
 */
@Component
class DemoLabQuality {

  private static final Actor SEEDER = new Actor("demo-seed", Role.ADMIN, null, null, null);

  private final JdbcClient jdbc;
  private final QualityControl qc;
  private final Reagents reagents;
  private final Instruments instruments;

  DemoLabQuality(JdbcClient jdbc, QualityControl qc, Reagents reagents, Instruments instruments) {
    this.jdbc = jdbc;
    this.qc = qc;
    this.reagents = reagents;
    this.instruments = instruments;
  }

  @EventListener
  void on(DemoLabReady lab) {
    String code = lab.labCode();
    boolean kept = jdbc.sql("""
            select exists (select 1 from qc_control_lots where lab_code = ?) or exists (select 1 from reagent_lots where lab_code = ?)
                or exists (select 1 from instruments where lab_code = ?)""")
        .params(code, code, code).query(Boolean.class).single();
    if (kept) {
      return;
    }
    LocalDate today = reagents.today();
    qc.addLot(SEEDER, code, new QualityControl.NewControlLot("SARS-CoV-2 弱阳性质控品 Weak positive control", 1, "PC-2612-A",
        today.plusMonths(8), List.of(new QualityControl.TargetValue("ORF1ab", 30.0, 0.6), new QualityControl.TargetValue("N", 31.0, 0.6),
            new QualityControl.TargetValue("IC", 27.0, 0.5))));
    reagents.add(SEEDER, code, new Reagents.NewLot("新冠病毒核酸检测试剂盒 SARS-CoV-2 PCR kit", "KIT", "KIT-2612-01", today.plusMonths(6), 9600, 960));
    reagents.add(SEEDER, code, new Reagents.NewLot("新冠病毒核酸检测试剂盒 SARS-CoV-2 PCR kit", "KIT", "KIT-2611-07", today.plusDays(10), 960, 200));
    reagents.add(SEEDER, code, new Reagents.NewLot("核酸提取试剂 Extraction reagent", "CONSUMABLE", "EXT-2612-03", today.plusMonths(4), 4800, 500));
    reagents.add(SEEDER, code, new Reagents.NewLot("96 孔 PCR 板 96-well plates", "CONSUMABLE", "PLT-2610-12", today.plusYears(2), 40, 40));
    instruments.register(SEEDER, code, new Instruments.NewInstrument("PCR-01", "PCR_CYCLER", "扩增仪 1 号 PCR cycler 1", today.plusMonths(5),
        today.plusMonths(2)));
    instruments.register(SEEDER, code, new Instruments.NewInstrument("PCR-02", "PCR_CYCLER", "扩增仪 2 号 PCR cycler 2", today.plusDays(5),
        today.plusMonths(1)));
    instruments.register(SEEDER, code, new Instruments.NewInstrument("EXT-01", "EXTRACTOR", "核酸提取仪 Extractor", today.plusMonths(3),
        today.plusMonths(1)));
    instruments.register(SEEDER, code, new Instruments.NewInstrument("BSC-01", "BIOSAFETY_CABINET", "生物安全柜 Biosafety cabinet",
        today.plusMonths(9), today.plusMonths(3)));
    instruments.register(SEEDER, code, new Instruments.NewInstrument("FRZ-80", "FREEZER", "−80 °C 超低温冰箱 Freezer", today.plusMonths(6),
        today.plusMonths(6)));
  }
}
