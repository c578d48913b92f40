package org.epiloop.identity;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The district each person registered in: where a check-in elsewhere counts as an arrival from (M5). */
@Component
public class HomeDistricts {

  private final JdbcClient jdbc;

  HomeDistricts(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The persons' registered districts; persons without one are left out. */
  public Map<UUID, String> of(Collection<UUID> personIds) {
    Map<UUID, String> out = new HashMap<>();
    if (personIds.isEmpty()) {
      return out;
    }
    jdbc.sql("select id, district_code from persons where id = any(?) and district_code is not null")
        .param(personIds.toArray(UUID[]::new))
        .query((rs, i) -> out.put(rs.getObject(1, UUID.class), rs.getString(2))).list();
    return out;
  }
}
