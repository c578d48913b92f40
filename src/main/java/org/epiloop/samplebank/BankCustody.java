package org.epiloop.samplebank;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.shared.CustodyStep;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A tube's steps in the sample bank, for the custody search: kept, stored at a position, disposed of. */
@Component
public class BankCustody {

  private final JdbcClient jdbc;

  BankCustody(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(readOnly = true)
  public List<CustodyStep> of(String tubeCode) {
    List<CustodyStep> steps = new ArrayList<>();
    jdbc.sql("""
            select t.lab_code, t.reason, t.freezer, t.rack, t.box, t.position, t.stored_by, t.stored_at, t.retain_until,
                   t.disposed_by, t.disposed_at, d.note
            from bank_tubes t left join bank_disposals d on d.id = t.disposal_id where t.tube_code = ?""")
        .param(tubeCode)
        .query((rs, i) -> {
          String lab = rs.getString(1);
          OffsetDateTime stored = rs.getObject(8, OffsetDateTime.class);
          if (stored != null) {
            steps.add(new CustodyStep(stored.toInstant(), "BANK", "STORED", lab, rs.getString(7),
                rs.getString(2) + " at " + rs.getString(3) + "/" + rs.getString(4) + "/" + rs.getString(5) + "/" + rs.getString(6)
                    + ", kept until " + rs.getObject(9, OffsetDateTime.class).toLocalDate()));
          }
          OffsetDateTime disposed = rs.getObject(11, OffsetDateTime.class);
          if (disposed != null) {
            steps.add(new CustodyStep(disposed.toInstant(), "BANK", "DISPOSED", lab, rs.getString(10), rs.getString(12)));
          }
          return lab;
        }).list();
    return steps;
  }
}
