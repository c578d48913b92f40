package org.epiloop.lab;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.epiloop.shared.CustodyStep;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** A tube's steps inside a lab, for the custody search: received (or rejected), placed on plates, tested, released. */
@Component
public class LabCustody {

  private final JdbcClient jdbc;

  LabCustody(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional(readOnly = true)
  public List<CustodyStep> of(String tubeCode) {
    List<CustodyStep> steps = new ArrayList<>();
    jdbc.sql("select lab_code, received_at, received_by, state, reject_reason, rejected_by, rejected_at from lab_tubes where tube_code = ?")
        .param(tubeCode)
        .query((rs, i) -> {
          String lab = rs.getString(1);
          steps.add(new CustodyStep(rs.getObject(2, OffsetDateTime.class).toInstant(), "LAB", "RECEIVED", lab, rs.getString(3), null));
          OffsetDateTime rejected = rs.getObject(7, OffsetDateTime.class);
          if (rejected != null) {
            steps.add(new CustodyStep(rejected.toInstant(), "LAB", "REJECTED", lab, rs.getString(6), rs.getString(5)));
          }
          return lab;
        })
        .list();
    jdbc.sql("""
            select r.lab_code, r.plate_code, w.well, r.created_by, r.created_at, r.results_by, r.results_at, r.status,
                   r.approved_by, r.approved_at, w.interpretation
            from run_wells w join runs r on r.id = w.run_id where w.tube_code = ? order by r.created_at""")
        .param(tubeCode)
        .query((rs, i) -> {
          String lab = rs.getString(1);
          String plate = "plate " + rs.getString(2) + " " + rs.getString(3);
          steps.add(new CustodyStep(rs.getObject(5, OffsetDateTime.class).toInstant(), "LAB", "ON_PLATE", lab, rs.getString(4), plate));
          OffsetDateTime results = rs.getObject(7, OffsetDateTime.class);
          if (results != null) {
            String status = rs.getString(8);
            steps.add(new CustodyStep(results.toInstant(), "LAB", "CONTROLS_FAILED".equals(status) ? "RUN_CONTROLS_FAILED" : "TESTED", lab,
                rs.getString(6), rs.getString(11)));
          }
          OffsetDateTime approved = rs.getObject(10, OffsetDateTime.class);
          if (approved != null) {
            steps.add(new CustodyStep(approved.toInstant(), "RESULT", "RELEASED", lab, rs.getString(9), rs.getString(11)));
          }
          return lab;
        })
        .list();
    return steps;
  }
}
